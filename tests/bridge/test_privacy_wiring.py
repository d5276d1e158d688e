"""The bridge applies redaction after a chat ends; the live chat still shows everything."""

from __future__ import annotations

import pytest

from tests.support.patron import Patron
from tests.support.stack import start_stack

pytestmark = pytest.mark.both_stores  # each runs on SQLite and on PostgreSQL


async def test_card_number_redacted_after_end_not_before(tmp_path) -> None:
    s = await start_stack(tmp_path, extra={"privacy": {"retention_days": 30}})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("Kirjastokorttini numero on 2100 1234 5678 ja PIN-koodi 4321, vuosi 2024")
        offer = await desk.next_message("offer")
        assert "2100 1234 5678" in offer.body  # the librarian sees it during the chat
        await s.bridge.apply_privacy()
        texts = [m.text for m in await s.bridge.store.history(offer.session)]
        assert "2100 1234 5678" in texts[0]  # not ended yet: untouched
        desk.say(offer.frm, "/end")
        await p.recv_type("state", state="ended")
        await s.bridge.apply_privacy()
        text = (await s.bridge.store.history(offer.session))[0].text
        assert "2100 1234 5678" not in text and "4321" not in text
        assert "[kortti]" in text and "[PIN]" in text and "2024" in text
    finally:
        await s.close()


async def test_masked_as_the_chat_ends_without_waiting_for_retention(tmp_path) -> None:
    """Ending the chat masks its lines at once: store, the desks' transcript, the resumed history."""
    s = await start_stack(tmp_path)
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("PINin 7531 ei käy, kortti 2 1234 5678 9012")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "Katson asiaa")
        await p.recv_type("message", **{"from": "librarian"})
        await p.send_frame({"type": "end"})
        await p.recv_type("state", state="ended")
        text = (await s.bridge.store.history(offer.session))[0].text
        assert text == "PINin [PIN] ei käy, kortti [kortti]"
        shown = await desk.command("transcript", session=offer.session)
        assert shown["items"][0]["text"] == text
        again = Patron(s.ws_url)
        s.clients.append(again)
        await again.connect()
        welcome = await again.hello(p.token)
        assert welcome["session"] == p.token
        assert [m["text"] for m in welcome["history"] if m["from"] == "patron"] == [text]
    finally:
        await s.close()
