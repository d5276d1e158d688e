"""A patron's chat reaches the desk on duty through a real Prosody and back."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.stack import TUESDAY_NOON, Stack, start_stack

pytestmark = pytest.mark.both_stores  # each runs on SQLite and on PostgreSQL


async def test_welcome_says_open_with_hours(stack: Stack) -> None:
    p = await stack.patron()
    assert p.welcome["open"] is True
    assert p.welcome["state"] == "bot"
    assert p.welcome["history"] == []
    assert p.welcome["hours"]
    assert len(p.token or "") >= 22  # ≥ 128 bits of randomness


async def test_chat_reaches_on_duty_desk_and_back(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    other = await stack.desk("nokia@chat.localhost")
    p = await stack.patron()
    ack = await p.say("Hei, miten uusin lainani?")
    assert ack["type"] == "ack" and ack["ts"].endswith("Z")
    offer = await desk.next_message("offer")
    assert "miten uusin lainani" in offer.body
    assert offer.chat["library"] == "tampere" and offer.chat["lang"] == "fi"
    assert offer.chat["state"] == "queued"
    assert offer.nick and offer.nick.startswith("Patron ")
    await other.no_message(0.3)
    state = await p.recv_type("state", state="queued")
    assert state["position"] == 1

    desk.say(offer.frm, "Hei! Voit uusia lainat verkkokirjastossa.")
    reply = await p.recv_type("message")
    assert reply["from"] == "librarian" and reply["name"] == "Tampere"
    assert reply["text"] == "Hei! Voit uusia lainat verkkokirjastossa."
    assert (await p.recv_type("state", state="active"))["desk"] == "Tampere"

    await p.say("Kiitos!")
    line = await desk.next_message("line")
    assert line.body == "Kiitos!" and line.chat["sender"] == "patron"


async def test_chat_states_pass_both_ways(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei, miten voin auttaa?")
    await p.recv_type("message")
    desk.typing(offer.frm, "composing")
    assert (await p.recv_type("typing"))["state"] == "composing"
    await p.send_frame({"type": "typing", "state": "composing"})
    frm, st = await asyncio.wait_for(desk.chatstates.get(), 5)
    assert frm == offer.frm.split("/")[0] and st == "composing"


async def test_fallback_when_on_duty_desk_is_away(stack: Stack) -> None:
    fallback = await stack.desk("nokia@chat.localhost")  # tampere (on duty, first fallback) away
    p = await stack.patron()
    await p.say("Onko ketään paikalla?")
    offer = await fallback.next_message("offer")
    assert offer.chat["target"] == "nokia"


async def test_pool_shift_reaches_member_desk(tmp_path) -> None:
    s = await start_stack(tmp_path, clock=TUESDAY_NOON)
    try:
        member = await s.desk("hameenkyro@chat.localhost")
        tampere = await s.desk("tampere@chat.localhost")
        p = await s.patron(library="akaa")
        await p.say("Kysymys kirjastokortista")
        offer = await member.next_message("offer")
        assert offer.chat["target"] == "pool-1"
        await tampere.no_message(0.3, kind="offer")
    finally:
        await s.close()


async def test_first_responder_owns_and_other_seat_is_told(stack: Stack) -> None:
    seat1 = await stack.desk("tampere@chat.localhost", "desk-1")
    seat2 = await stack.desk("tampere@chat.localhost", "desk-2")
    p = await stack.patron()
    await p.say("Hei")
    o1 = await seat1.next_message("offer")
    o2 = await seat2.next_message("offer")
    assert o1.session == o2.session
    seat2.say(o2.frm, "/accept")
    taken = await seat1.next_message("taken")
    assert "desk-2" in taken.chat["owner"]
    accepted = await seat2.next_message("accepted")
    assert accepted.chat["owner"].endswith("/desk-2")
    seat1.say(o1.frm, "Minä vastaan!")  # too late: not delivered
    info = await seat1.next_message("info")
    assert "desk-2" in info.body
    await p.say("Toinen kysymys")
    assert (await seat2.next_message("line")).body == "Toinen kysymys"
    await seat1.no_message(0.3, kind="line")
    seat2.say(o2.frm, "Vastaus")
    assert (await p.recv_type("message"))["text"] == "Vastaus"
    assert not [f for f in p.frames if f.get("text") == "Minä vastaan!"]


async def test_three_seats_one_owner_others_told_and_kept_out(stack: Stack) -> None:
    seats = [await stack.desk("tampere@chat.localhost", f"desk-{i}") for i in (1, 2, 3)]
    p = await stack.patron()
    await p.say("Kolme paikkaa, yksi vastaaja")
    offers = [await s.next_message("offer") for s in seats]
    assert len({o.session for o in offers}) == 1
    seats[2].say(offers[2].frm, "Desk 3 täällä")
    for s in seats[:2]:
        taken = await s.next_message("taken")
        assert taken.chat["owner"].endswith("/desk-3")
    await p.say("kiitos desk 3")
    assert (await seats[2].next_message("line")).body == "kiitos desk 3"
    for s in seats[:2]:
        await s.no_message(0.3, kind="line")
    seats[0].say(offers[0].frm, "/end")  # only the owner may end it
    assert "desk-3" in (await seats[0].next_message("info")).body
