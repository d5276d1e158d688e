"""Abandoned chats end, queue places count only patrons who are there, and restarts clean up."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.patron import Patron
from tests.support.stack import Stack, start_stack

pytestmark = pytest.mark.both_stores  # each runs on SQLite and on PostgreSQL


async def chat_id(s: Stack, p: Patron) -> str:
    assert s.bridge is not None and s.bridge.store is not None and p.token
    stored = await s.bridge.store.session_by_token(p.token)
    assert stored is not None
    return stored.id


async def test_abandoned_chat_is_withdrawn_and_never_offered_to_a_seat_that_signs_in_later(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 0.5})
    try:
        p = await s.patron()
        await p.say("onko ketään paikalla?")
        await p.recv_type("state", state="queued")
        sid = await chat_id(s, p)
        await p.close()
        await asyncio.sleep(2.0)  # the grace and one housekeeping round
        stored = await s.bridge.store.session(sid)
        assert stored is not None and stored.state.value == "ended"
        assert sid not in s.bridge.service.chats
        desk = await s.desk("tampere@chat.localhost")
        await desk.no_message(1.5, kind="offer")
        await desk.no_message(0.1, kind="reminder")
    finally:
        await s.close()


async def test_offer_is_withdrawn_at_every_seat_when_the_patron_leaves(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 0.5})
    try:
        one = await s.desk("tampere@chat.localhost")
        two = await s.desk("tampere-2@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        await one.next_message("offer")
        await two.next_message("offer")
        await p.close()
        for desk in (one, two):
            notice = await desk.next_message("withdrawn", timeout=5)
            assert "left before anyone answered" in notice.body
        await one.no_message(1.5, kind="reminder")
    finally:
        await s.close()


async def test_queue_place_counts_only_patrons_who_are_there(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 60})
    try:
        first = await s.patron()
        await first.say("ensimmäinen")
        await first.recv_type("state", state="queued")
        second = await s.patron()
        await second.say("toinen")
        state = await second.recv_type("state", state="queued")
        assert state["position"] == 2
        await first.close()  # gone, though within the grace
        moved = await second.recv_type("state", timeout=5)
        assert moved["position"] == 1
        third = await s.patron()
        await third.say("kolmas")
        assert (await third.recv_type("state", state="queued"))["position"] == 2
    finally:
        await s.close()


async def test_owner_sees_the_patron_leave_at_once_and_the_chat_ends_after_the_grace(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 1.0})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "Päivää!")
        await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")
        await p.close()
        left = await desk.next_message("patron_left", timeout=3)
        assert "left the chat" in left.body and "/keep" in left.body
        ended = await desk.next_message("ended", timeout=5)
        assert "did not come back" in ended.body
        assert await s.bridge.store.tags(offer.session) == ["interrupted"]
    finally:
        await s.close()


async def test_keep_holds_an_owned_chat_open_and_end_stale_ends_it(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 0.5})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "/accept")
        await desk.next_message("accepted")
        await p.close()
        await desk.next_message("patron_left", timeout=3)
        desk.say(offer.frm, "/keep")
        assert "stays open" in (await desk.next_message("info")).body
        await desk.no_message(1.5, kind="ended")
        assert offer.session in s.bridge.service.chats
        desk.say(offer.frm, "/end-stale")
        assert "Ended 1 chat" in (await desk.next_message("info", timeout=5)).body
        assert offer.session not in s.bridge.service.chats
    finally:
        await s.close()


async def test_restart_cleans_up_stale_chats(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": 0.5})
    try:
        patrons = [await s.patron() for _ in range(3)]
        for i, p in enumerate(patrons):
            await p.say(f"kysymys {i}")
            await p.recv_type("state", state="queued")
        sessions = [await chat_id(s, p) for p in patrons]
        await s.stop_bridge()
        for p in patrons:
            await p.close()
        await s.start_bridge()
        assert set(sessions) <= set(s.bridge.service.chats)  # reloaded …
        await asyncio.sleep(2.0)
        for sid in sessions:  # … and ended, since nobody came back
            stored = await s.bridge.store.session(sid)
            assert stored is not None and stored.state.value == "ended"
        desk = await s.desk("tampere@chat.localhost")
        await desk.no_message(1.5, kind="offer")
    finally:
        await s.close()
