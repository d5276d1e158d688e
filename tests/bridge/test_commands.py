"""Every desk command, as a text command and as an XEP-0050 ad-hoc command."""

from __future__ import annotations

import asyncio

from tests.support.desk import DeskClient
from tests.support.patron import Patron
from tests.support.stack import Stack


async def offered_chat(
    stack: Stack, desk: DeskClient, text: str = "Hei, kysymys lainoista"
) -> tuple[Patron, str]:
    p = await stack.patron()
    await p.say(text)
    offer = await desk.next_message("offer")
    return p, offer.session


async def test_text_help_and_unknown_command(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p, sid = await offered_chat(stack, desk)
    jid = stack.patron_jid(sid)
    desk.say(jid, "/help")
    assert "/transfer TARGET" in (await desk.next_message("info")).body
    desk.say(jid, "/frobnicate")
    answer = (await desk.next_message("info")).body
    assert "Unknown command /frobnicate" in answer and "/help" in answer
    await p.recv_type("state", state="queued")
    assert not [f for f in p.frames if f["type"] == "message"]  # commands never reach the patron


async def test_text_accept_tag_untag_note_end(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p, sid = await offered_chat(stack, desk)
    jid = stack.patron_jid(sid)
    desk.say(jid, " /accept")  # a stray leading space is still a command
    assert (await desk.next_message("accepted")).body.startswith("You have the chat")
    await desk.no_message(0.3, kind="info")  # one answer, not two
    assert (await p.recv_type("state", state="active"))["desk"] == "Tampere"
    desk.say(jid, "/tag lainaus – lainat, 5")
    assert (await desk.next_message("info")).body == "Tags: loans, fees"
    desk.say(jid, "/tag lainaukset")
    answer = (await desk.next_message("info")).body
    assert "no tag 'lainaukset'" in answer.lower() and "'Loans'" in answer  # in the seat's language
    desk.say(jid, "!tag kirjasto")  # `!` works like `/`; an ambiguous beginning lists the tags
    answer = (await desk.next_message("info")).body
    assert "Library card" in answer and "Library materials" in answer
    desk.say(jid, "/untag fees")
    assert (await desk.next_message("info")).body == "Tags: loans"
    desk.say(jid, "/note asiakas soittaa huomenna")
    assert "Note saved" in (await desk.next_message("info")).body
    desk.say(jid, "//tag on vain teksti")
    assert (await p.recv_type("message"))["text"] == "/tag on vain teksti"
    desk.say(jid, "/end")
    assert await p.recv_type("state", state="ended")
    tags = await stack.bridge.store.tags(sid)
    assert tags == ["loans"]
    history = await stack.bridge.store.history(sid)
    assert [m.sender for m in history] == ["patron", "note", "librarian"]
    assert not [f for f in p.frames if f.get("text") == "asiakas soittaa huomenna"]


async def test_text_tags_and_desks_lists(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    _, sid = await offered_chat(stack, desk)
    desk.say(stack.patron_jid(sid), "/tags")
    body = (await desk.next_message("info")).body
    assert body.splitlines()[0] == "1. Logging in (login)"  # the tag's name in the seat's language
    desk.say(stack.patron_jid(sid), "/desks")
    body = (await desk.next_message("info")).body
    assert "* tampere (Tampere): 1 available" in body
    assert "nokia (Nokia): 0 available" in body


async def test_transfer_with_transcript_by_text(stack: Stack) -> None:
    tampere = await stack.desk("tampere@chat.localhost")
    nokia = await stack.desk("nokia@chat.localhost")
    p, sid = await offered_chat(stack, tampere, "Nokian kirjaston aukioloajat?")
    jid = stack.patron_jid(sid)
    tampere.say(jid, "Hetkinen, siirrän Nokialle.")
    await p.recv_type("message")
    tampere.say(jid, "/transfer ylojarvi")
    assert "No library or pool 'ylojarvi'" in (await tampere.next_message("info")).body
    tampere.say(jid, "/transfer Nokia")
    offer = await nokia.next_message("offer")
    assert offer.chat["from_target"] == "tampere"
    assert "Nokian kirjaston aukioloajat?" in offer.body
    assert "Hetkinen, siirrän Nokialle." in offer.body
    assert "transferred from Tampere" in offer.body
    assert (await tampere.next_message("transferred")).session == sid
    await p.recv_type("state", state="queued")
    nokia.say(offer.frm, "Hei, Nokian kirjasto täällä.")
    assert (await p.recv_type("message"))["name"] == "Nokia"
    await p.say("kiitos")
    assert (await nokia.next_message("line")).body == "kiitos"
    await tampere.no_message(0.3, kind="line")


async def test_transfer_to_target_with_nobody_available(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    _, sid = await offered_chat(stack, desk)
    desk.say(stack.patron_jid(sid), "/transfer pool-1")
    body = (await desk.next_message("info")).body
    assert "Nobody at Pool 1 is available now" in body and "tampere" in body


async def test_adhoc_commands_one_step(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    nokia = await stack.desk("nokia@chat.localhost")
    p, sid = await offered_chat(stack, desk)

    chats = await desk.command("chats")
    assert [r["session"] for r in chats["items"]] == [sid]
    assert chats["items"][0]["state"] == "queued"
    assert chats["items"][0]["first_line"] == "Hei, kysymys lainoista"

    res = await desk.command("accept", session=sid)
    assert res["values"]["status"] == "ok" and res["status"] == "completed"
    await p.recv_type("state", state="active")

    res = await desk.command("tag", session=sid, tags=["loans", "reservations"])
    assert res["values"]["tags"] == ["loans", "reservations"]
    res = await desk.command("untag", session=sid, tags=["loans"])
    assert res["values"]["tags"] == ["reservations"]
    res = await desk.command("tag", session=sid, tags=["nope"])
    assert res["values"]["status"] == "error" and "nope" in res["values"]["message"]

    res = await desk.command("note", session=sid, text="sisäinen huomio")
    assert res["values"]["status"] == "ok"

    tags = await desk.command("tags")
    assert tags["items"][0] == {
        "number": "1",
        "id": "login",
        "name": "Kirjautumisasiat",
        "name_fi": "Kirjautumisasiat",
        "name_en": "Logging in",
        "name_sv": "Inloggning",
    }
    desks = await desk.command("desks")
    by_id = {r["id"]: r for r in desks["items"]}
    assert by_id["tampere"]["available"] == "1" and by_id["tampere"]["on_duty"] == "1"
    assert by_id["nokia"]["seats"] == "nokia@chat.localhost/desk-1"
    assert by_id["pool-1"]["kind"] == "pool"

    transcript = await desk.command("transcript", session=sid)
    assert [r["sender"] for r in transcript["items"]] == ["patron", "note"]

    res = await desk.command("transfer", session=sid, target="nokia")
    assert res["values"]["status"] == "ok"
    offer = await nokia.next_message("offer")
    assert offer.session == sid

    res = await nokia.command("end", session=sid)
    assert res["values"]["status"] == "ok"
    await p.recv_type("state", state="ended")
    res = await nokia.command("accept", session=sid)
    assert res["values"]["status"] == "error" and "has ended" in res["values"]["message"]


async def test_adhoc_two_step_form_preselects_chat(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    _p, sid = await offered_chat(stack, desk)
    res = await desk.command_two_step("tag", session=sid, tags=["fees"])
    fields = res["first"].get_fields()
    assert fields["session"].get_value() == sid
    assert fields["tags"]["type"] == "list-multi"
    assert [o["value"] for o in fields["tags"].get_options()][:2] == ["login", "card"]
    assert res["values"]["tags"] == ["fees"]


async def test_adhoc_refused_for_non_desk(stack: Stack) -> None:
    import pytest
    from slixmpp.exceptions import IqError

    stranger = await stack.desk("coordinator@chat.localhost")
    res = await stranger.command("chats")  # coordinators may look
    assert res["values"]["status"] == "ok"
    stack.passwords["mallory@chat.localhost"] = "pw"
    await stack.prosody.register([("mallory@chat.localhost", "pw")])
    mallory = await stack.desk("mallory@chat.localhost")
    with pytest.raises(IqError) as e:
        await mallory.command("chats")
    assert e.value.iq["error"]["condition"] == "forbidden"


async def test_canned_answer_by_text(tmp_path) -> None:
    from tests.support.stack import PIKI, start_stack

    s = await start_stack(tmp_path, canned=PIKI / "canned.yaml")
    try:
        desk = await s.desk("tampere@chat.localhost")
        p, sid = await offered_chat(s, desk)
        desk.say(s.patron_jid(sid), "/canned")
        listing = (await desk.next_message("info")).body
        key = listing.split(": ", 1)[1].split(", ")[0]
        desk.say(s.patron_jid(sid), f"/canned {key}")
        frame = await p.recv_type("message")
        assert frame["from"] == "librarian" and frame["text"]
        assert "{desk}" not in frame["text"]
    finally:
        await s.close()


async def test_commands_run_from_a_chat_have_it_preselected(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    _, first = await offered_chat(stack, desk, "ensimmäinen")
    p2, second = await offered_chat(stack, desk, "toinen")
    jid = stack.patron_jid(second)
    items = await desk.plugin["xep_0030"].get_items(jid=jid, node="http://jabber.org/protocol/commands")
    nodes = {i[1] for i in items["disco_items"]["items"]}
    assert {"accept", "tag", "transfer", "end"} <= nodes
    res = await desk.command_two_step("accept", to=jid)
    assert res["first"].get_fields()["session"].get_value() == second
    assert res["values"]["status"] == "ok", res["values"]
    await p2.recv_type("state", state="active")
    res = await desk.command("tag", to=jid, tags=["fees"])  # one step, no session field given
    assert res["values"]["tags"] == ["fees"]
    assert await stack.bridge.store.tags(first) == []


async def test_plain_client_lines_say_which_patron_and_library(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost", plain=True)
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    assert "!accept" in offer.body
    desk.say(offer.frm, "!accept")
    await desk.next_message("accepted")
    await p.say("toinen rivi")
    line = await desk.next_message("line")
    assert line.raw.startswith("[Patron ") and line.raw.endswith(" · Tampere] toinen rivi")
    assert line.body == "toinen rivi" and line.chat["label"].endswith(" · Tampere")


async def test_line_to_an_ended_chat_is_answered_in_its_window_and_refused(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost", receipts=True)
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "/accept")
    await desk.next_message("accepted")
    desk.say(offer.frm, "/end")
    await desk.next_message("ended")
    sent = desk.say(offer.frm, "vielä yksi asia", receipt=True)
    assert (await desk.next_message("info")).body == "This chat has ended; your line was not sent."
    error = await asyncio.wait_for(desk.errors.get(), 5)
    while error["id"] != sent:  # errors of earlier stanzas may come first
        error = await asyncio.wait_for(desk.errors.get(), 5)
    assert error["error"]["condition"] == "not-acceptable"
    assert desk.receipts.empty()  # no receipt: the line was not stored
    desk.say(offer.frm, "/transcript")  # the chat just ended: its transcript is still there
    assert "Patron: hei" in (await desk.next_message("info")).body


async def test_chats_and_followups_as_text_commands(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost", plain=True)
    first = await stack.patron()
    await first.say("Miten uusin lainat?")
    offer = await desk.next_message("offer")
    second = await stack.patron()
    await second.say("Onko kirjasto auki?")
    await desk.next_message("offer")
    desk.say(offer.frm, "!accept")
    await desk.next_message("accepted")
    desk.say(offer.frm, "/chats")
    listing = (await desk.next_message("info")).body.splitlines()
    assert len(listing) == 2
    assert any("yours" in row and "Miten uusin lainat?" in row for row in listing)
    assert any("waiting, place 1" in row and "Onko kirjasto auki?" in row for row in listing)
    desk.say(offer.frm, "/followups")
    assert (await desk.next_message("info")).body == "No open follow-ups."
    desk.say(offer.frm, "/claim")
    assert "/claim N" in (await desk.next_message("info")).body


async def test_patron_cannot_forge_lines_of_the_service_in_a_plain_client(stack: Stack) -> None:
    plain = await stack.desk("tampere@chat.localhost", plain=True)
    console = await stack.desk("tampere@chat.localhost", resource="desk-2")
    p = await stack.patron()
    await p.say("hei")
    offer = await plain.next_message("offer")
    await console.next_message("offer")
    await p.say("kysymys\nTiski: identity verified\u202e\u200b")
    forged = (await plain.next_message("line")).body
    assert forged == "kysymys\n  | Tiski: identity verified"
    assert not any(line.startswith("Tiski:") for line in forged.splitlines())
    assert (await console.next_message("line")).body == "kysymys\nTiski: identity verified"
    assert offer.session


async def test_the_widgets_heartbeat_is_answered(stack: Stack) -> None:
    p = await stack.patron()
    await p.send_frame({"type": "ping"})
    assert (await p.recv_type("pong"))["type"] == "pong"
