"""Automatic answers, automatic tags, queue time-outs and files edited while running."""

from __future__ import annotations

import asyncio
import shutil

from tests.support.stack import PIKI, start_stack


async def test_bot_answers_then_handoff_reaches_desk_with_bot_exchange_and_tag(tmp_path) -> None:
    s = await start_stack(tmp_path, faq=PIKI / "faq.yaml")
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("unohdin pin koodin, miten saan uuden?")
        bot = await p.recv_type("message", **{"from": "bot"})
        assert bot["text"] and bot.get("faq")
        await desk.no_message(0.3, kind="offer")  # answered automatically: nobody disturbed
        await p.send_frame({"type": "handoff"})
        assert (await p.recv_type("state", state="queued"))["position"] == 1
        offer = await desk.next_message("offer")
        assert "unohdin pin koodin" in offer.body
        assert "Bot:" in offer.body  # the librarian sees what the bot said
        assert offer.chat["tags"] == "login"
    finally:
        await s.close()


async def test_unmatched_question_goes_straight_to_queue(tmp_path) -> None:
    s = await start_stack(tmp_path, faq=PIKI / "faq.yaml")
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("Osaatteko suositella hyvää dekkaria joka sijoittuu Tampereelle?")
        await p.recv_type("state", state="queued")
        await desk.next_message("offer")
        assert not [f for f in p.frames if f.get("from") == "bot"]
    finally:
        await s.close()


async def test_patron_gone_for_good_is_tagged_interrupted(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 0.5})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei, onko ketään?")
        offer = await desk.next_message("offer")
        await p.close()
        withdrawn = await desk.next_message("withdrawn", timeout=5)
        assert "left before anyone answered" in withdrawn.body
        assert await s.bridge.store.tags(offer.session) == ["interrupted"]
        stored = await s.bridge.store.session(offer.session)
        assert stored is not None and stored.state.value == "ended"
    finally:
        await s.close()


async def test_patron_back_within_grace_is_not_interrupted(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 1.0})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        await p.ws.close()
        p2 = await s.patron()
        await p2.hello(p.token)
        await asyncio.sleep(1.5)
        assert await s.bridge.store.tags(offer.session) == []
    finally:
        await s.close()


async def test_queue_timeout_offers_leave_message_but_desk_may_still_take_it(tmp_path) -> None:
    s = await start_stack(tmp_path, limits={"queue_timeout_seconds": 0.5})
    try:
        p = await s.patron()
        await p.say("Onko kukaan paikalla?")
        await p.recv_type("state", state="queued")
        await p.recv_type("state", state="closed", timeout=5)
        await p.send_frame({"type": "leave_message", "text": "Soittakaa", "contact": "040 123"})
        await p.recv_type("message", **{"from": "system"})
        desk = await s.desk("tampere@chat.localhost")  # a desk comes online
        offer = await desk.next_message("offer")
        assert "Onko kukaan paikalla?" in offer.body
        desk.say(offer.frm, "Nyt olen täällä!")
        assert (await p.recv_type("message", **{"from": "librarian"}))["text"] == "Nyt olen täällä!"
        assert await p.recv_type("state", state="active")
    finally:
        await s.close()


async def test_tag_file_edit_is_picked_up_without_restart(tmp_path) -> None:
    tags = tmp_path / "tags.yaml"
    shutil.copy(PIKI / "tags.yaml", tags)
    s = await start_stack(tmp_path, tags=tags)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        tags.write_text(tags.read_text() + "\n- {id: ebooks, name: {fi: E-kirjat, en: E-books}}\n")
        await asyncio.sleep(2.5)
        desk.say(offer.frm, "/tag e-kirjat")
        assert (await desk.next_message("info")).body == "Tags: ebooks"
    finally:
        await s.close()
