"""The bridge applies redaction after a chat ends; the live chat still shows everything."""

from __future__ import annotations

from tests.support.stack import start_stack


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
