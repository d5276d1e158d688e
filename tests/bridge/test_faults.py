"""Faults: the XMPP server restarts mid-chat, a seat drops while owning a chat."""

from __future__ import annotations

import asyncio

from tests.support.stack import start_stack


async def test_prosody_restart_mid_chat_loses_nothing(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("ennen katkoa")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "vastaus")
        await p.recv_type("message", **{"from": "librarian"})
        await s.prosody.stop()
        # while the server is away the patron is still acknowledged; the line waits
        ack = await p.say("katkon aikana")
        assert ack["type"] == "ack"
        await s.prosody.start()
        await desk.close()
        s.clients.remove(desk)
        desk2 = await s.desk("tampere@chat.localhost")  # the seat signs in again
        for _ in range(50):
            if s.bridge.component.online:
                break
            await asyncio.sleep(0.1)
        # The line that waited for the server goes to the seat as soon as the component is back;
        # if the seat signed in again only after that, it reads the line in the transcript (as
        # the console does when it reconnects).
        try:
            got = (await desk2.next_message("line", timeout=8)).body
        except TimeoutError:
            rows = (await desk2.command("transcript", session=offer.session))["items"]
            got = next(r["text"] for r in rows if r["sender"] == "patron" and r["text"] == "katkon aikana")
        assert got == "katkon aikana"
        await p.say("katkon jälkeen")
        assert (await desk2.next_message("line", timeout=5)).body == "katkon jälkeen"
        desk2.say(offer.frm, "yhteys palasi")
        assert (await p.recv_type("message", **{"from": "librarian"}))["text"] == "yhteys palasi"
        texts = [m.text for m in await s.bridge.store.history(offer.session)]
        assert texts == ["ennen katkoa", "vastaus", "katkon aikana", "katkon jälkeen", "yhteys palasi"]
    finally:
        await s.close()


async def test_owner_seat_offline_releases_chat_to_desk(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"release_grace_seconds": 0.5})
    try:
        seat1 = await s.desk("tampere@chat.localhost", "desk-1")
        seat2 = await s.desk("tampere@chat.localhost", "desk-2")
        p = await s.patron()
        await p.say("Kysymys")
        offer = await seat1.next_message("offer")
        seat1.say(offer.frm, "Minä autan")
        await p.recv_type("message", **{"from": "librarian"})
        await seat2.next_message("taken")
        await seat1.close()
        s.clients.remove(seat1)
        reoffer = await seat2.next_message("offer", timeout=5)
        assert "Minä autan" in reoffer.body and "went offline" in reoffer.body
        await p.recv_type("state", state="queued")
        seat2.say(reoffer.frm, "Jatkan tästä")
        assert (await p.recv_type("message", **{"from": "librarian"}))["text"] == "Jatkan tästä"
    finally:
        await s.close()


async def test_unconfirmed_line_is_resent_with_same_id_until_receipt(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"receipt_resend_seconds": 0.5})
    try:
        desk = await s.desk("tampere@chat.localhost", receipts=True)
        plain = await s.desk("tampere-2@chat.localhost")  # no receipts: each line once
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        await plain.next_message("offer")
        await p.say("eka")  # confirmed: the bridge has seen this client's receipts match
        await desk.next_message("line")
        await plain.next_message("line")
        await asyncio.sleep(0.2)
        desk.ack_receipts = False  # the next line "gets lost" once
        await p.say("tärkeä rivi")
        first = await desk.next_message("line")
        await plain.next_message("line")
        desk.ack_receipts = True
        again = await desk.next_message("line", timeout=5)
        assert again.body == first.body == "tärkeä rivi"
        assert desk.ids.count(desk.ids[-1]) == 2  # the same id twice
        await desk.no_message(1.5, kind="line")  # confirmed: no third copy
        await plain.no_message(0.1, kind="line")
        assert offer.session == first.session
    finally:
        await s.close()


async def test_desk_line_confirmed_from_patron_address_after_storing(stack) -> None:
    desk = await stack.desk("tampere@chat.localhost", receipts=True)
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    sent_id = desk.say(offer.frm, "vastaus", receipt=True)
    assert await asyncio.wait_for(desk.receipts.get(), 5) == sent_id
    assert [m.text for m in await stack.bridge.store.history(offer.session)][-1] == "vastaus"


async def test_client_that_never_confirms_gets_each_line_once_and_nothing_after_the_end(tmp_path) -> None:
    """mcabber advertises receipts but its confirmations never match: no resends to it."""
    s = await start_stack(tmp_path, extra={"receipt_resend_seconds": 0.3})
    try:
        desk = await s.desk("tampere@chat.localhost", receipts=True)
        desk.ack_receipts = False
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "/accept")
        await p.say("rivi yksi")
        assert (await desk.next_message("line")).body == "rivi yksi"
        await desk.no_message(1.5, kind="line")  # not sent again
        desk.say(offer.frm, "/end")
        await desk.next_message("ended")
        await desk.no_message(1.0, kind="line")
    finally:
        await s.close()


async def test_resends_stop_when_the_chat_ends(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"receipt_resend_seconds": 0.5})
    try:
        desk = await s.desk("tampere@chat.localhost", receipts=True)
        p = await s.patron()
        await p.say("hei")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "/accept")
        await p.say("eka")
        await desk.next_message("line")  # confirmed: resends are on for this seat
        await asyncio.sleep(0.2)
        desk.ack_receipts = False
        await p.say("viimeinen")
        assert (await desk.next_message("line")).body == "viimeinen"
        await p.send_frame({"type": "end"})
        await desk.next_message("ended")
        await desk.no_message(1.5, kind="line")  # the unconfirmed line is not resent after the end
    finally:
        await s.close()
