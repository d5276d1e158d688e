"""Timed rollover along the fallback chain, reminders, capacity limits and `dnd`."""

from __future__ import annotations

from pathlib import Path

from tests.support.stack import TEST_ROTA, start_stack


def fast_rota(tmp_path: Path, seconds: int = 1) -> Path:
    path = tmp_path / "rota.yaml"
    path.write_text(TEST_ROTA.read_text().replace("rollover_seconds: 30", f"rollover_seconds: {seconds}"))
    return path


async def test_unclaimed_chat_rolls_over_to_fallback_with_reminder(tmp_path) -> None:
    s = await start_stack(tmp_path, rota=fast_rota(tmp_path))
    try:
        tampere = await s.desk("tampere@chat.localhost")
        nokia = await s.desk("nokia@chat.localhost")
        p = await s.patron()
        await p.say("Onko ketään?")
        first = await tampere.next_message("offer")
        await nokia.no_message(0.5, kind="offer")
        reminder = await tampere.next_message("reminder", timeout=4)
        assert "Still waiting" in reminder.body and reminder.chat["position"] == "1"
        rolled = await nokia.next_message("offer", timeout=4)
        assert rolled.session == first.session
        nokia.say(rolled.frm, "Nokiasta hei!")
        assert (await p.recv_type("message", **{"from": "librarian"}))["name"] == "Nokia"
        assert (await tampere.next_message("taken")).chat["owner"].startswith("nokia@")
        kinds = [e[1] for e in await s.bridge.store.events(first.session)]
        assert "rollover" in kinds and kinds.count("offered") == 2
    finally:
        await s.close()


async def test_seat_at_capacity_is_skipped(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"max_chats": {"seat": 1}})
    try:
        tampere = await s.desk("tampere@chat.localhost")
        nokia = await s.desk("nokia@chat.localhost")
        p1 = await s.patron()
        await p1.say("Ensimmäinen")
        o1 = await tampere.next_message("offer")
        tampere.say(o1.frm, "Hoidan tämän")
        await p1.recv_type("message", **{"from": "librarian"})
        p2 = await s.patron()
        await p2.say("Toinen")
        o2 = await nokia.next_message("offer")  # tampere's only seat is full: the fallback gets it
        assert "Toinen" in o2.body
        await tampere.no_message(0.3, kind="offer")
    finally:
        await s.close()


async def test_dnd_seat_is_not_offered_chats(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        busy = await s.desk("tampere@chat.localhost", "desk-1", show="dnd")
        free = await s.desk("tampere@chat.localhost", "desk-2")
        p = await s.patron()
        await p.say("hei")
        offer = await free.next_message("offer")
        assert offer.frm.startswith("p-")
        await busy.no_message(0.4, kind="offer")
        # the bridge knows the seat is there, and that it is busy
        assert s.bridge.service.seats.seats["tampere@chat.localhost"]["desk-1"] == "dnd"
    finally:
        await s.close()


async def test_away_seat_still_gets_offers(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        away = await s.desk("tampere@chat.localhost", show="away")
        p = await s.patron()
        await p.say("hei")
        assert (await away.next_message("offer")).chat["library"] == "tampere"
        assert s.bridge.service.seats.seats["tampere@chat.localhost"] == {"desk-1": "away"}
    finally:
        await s.close()


async def test_queue_positions_move_up_when_a_chat_is_taken(stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p1, p2, p3 = [await stack.patron() for _ in range(3)]
    for i, p in enumerate((p1, p2, p3), 1):
        await p.say(f"jonossa {i}")
        assert (await p.recv_type("state", state="queued"))["position"] == i
    offers = [await desk.next_message("offer") for _ in range(3)]
    desk.say(offers[0].frm, "vastaan ensimmäiselle")
    assert (await p2.recv_type("state", state="queued"))["position"] == 1
    assert (await p3.recv_type("state", state="queued"))["position"] == 2
