"""/forward: only to configured addresses unless allowed, and the transcript is masked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.mail import parse_mail_config
from bridge.mailtext import MASKED_NOTE, answer_body
from tests.bridge.test_followups import Mailbox, mail_config, mailbox  # noqa: F401
from tests.support.stack import start_stack

LINE = "Kortti 2 1234 5678 9012, hetu 131052-308T, PINin 7531 ei toimi"


async def _chat_with_personal_data(s):  # type: ignore[no-untyped-def]
    desk = await s.desk("tampere@chat.localhost")
    p = await s.patron()
    await p.say(LINE)
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Katson asiaa")
    await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")
    return desk, offer


@pytest.mark.both_stores
async def test_forward_goes_only_to_configured_addresses_and_is_masked(
    tmp_path: Path,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    extra = mail_config(mailbox.port, forward_addresses=["hankinnat@tampere.example"])
    s = await start_stack(tmp_path, extra=extra)
    try:
        desk, offer = await _chat_with_personal_data(s)
        desk.say(offer.frm, "/forward colleague@example.org")
        refused = (await desk.next_message("info")).body
        assert "Transcript sent" not in refused and "forward_any_address" in refused
        assert "hankinnat@tampere.example" in refused and "palaute@tampere.example" in refused

        desk.say(offer.frm, "/forward palaute@tampere.example")  # a library's own address
        assert (await desk.next_message("info")).body == "Transcript sent to palaute@tampere.example."
        _, mail = await mailbox.next()
        body = mail.get_content()
        assert MASKED_NOTE in body
        assert "Patron: Kortti [kortti], hetu [hetu], PINin [PIN] ei toimi" in body
        for secret in ("1234 5678", "131052", "7531"):
            assert secret not in body

        desk.say(offer.frm, "/forward hankinnat@tampere.example")  # on the allow-list
        assert "Transcript sent" in (await desk.next_message("info")).body
        _, mail = await mailbox.next()
        assert "7531" not in mail.get_content()
        assert mailbox.inbox.empty()
    finally:
        await s.close()


@pytest.mark.both_stores
async def test_free_addresses_only_when_the_setting_allows(
    tmp_path: Path,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    s = await start_stack(tmp_path, extra=mail_config(mailbox.port, forward_any_address=True))
    try:
        desk, offer = await _chat_with_personal_data(s)
        desk.say(offer.frm, "/forward colleague@example.org")
        assert (await desk.next_message("info")).body == "Transcript sent to colleague@example.org."
        rcpts, mail = await mailbox.next()
        assert rcpts == ["colleague@example.org"] and "[kortti]" in mail.get_content()
    finally:
        await s.close()


def test_mail_settings_for_forwarding_are_checked(tmp_path: Path) -> None:
    base = {"host": "smtp.example", "from": "tiski@chat.example"}
    cfg = parse_mail_config(base, tmp_path)
    assert cfg is not None and cfg.forward_any_address is False and cfg.forward_addresses == ()
    with pytest.raises(ConfigError, match="forward_any_address"):
        parse_mail_config({**base, "forward_any_address": "yes"}, tmp_path)
    with pytest.raises(ConfigError, match="forward_addresses"):
        parse_mail_config({**base, "forward_addresses": ["not an address"]}, tmp_path)


def test_an_e_mailed_answer_quotes_the_patron_masked() -> None:
    body = answer_body(
        "fi", "Tampere", "Uusi PIN tulee postissa.", LINE, datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    )
    assert "> Kortti [kortti], hetu [hetu], PINin [PIN] ei toimi" in body
    assert "7531" not in body and "1234 5678" not in body
