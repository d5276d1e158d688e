"""Follow-ups answered by e-mail, transcripts forwarded, tags required to end, patrons' ratings.

The bridge sends its e-mail to a real SMTP server (aiosmtpd) listening on a local port.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from bridge.config import parse_config
from bridge.errors import ConfigError
from bridge.mail import find_address, parse_mail_config
from bridge.mailtext import answer_body
from bridge.ratings import Rating, RatingError
from demo.prosody import free_port
from tests.support.stack import Stack, start_stack


class Mailbox:
    """An SMTP server's handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.port = 0
        self.inbox: asyncio.Queue[tuple[list[str], EmailMessage]] = asyncio.Queue()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.inbox.put_nowait((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    async def next(self, timeout: float = 5.0) -> tuple[list[str], EmailMessage]:
        return await asyncio.wait_for(self.inbox.get(), timeout)


@pytest.fixture
async def mailbox() -> AsyncIterator[Mailbox]:
    box = Mailbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(box, hostname="mail.test", enable_SMTPUTF8=True), "127.0.0.1", 0
    )
    box.port = server.sockets[0].getsockname()[1]
    try:
        yield box
    finally:
        server.close()
        await server.wait_closed()


def mail_config(port: int, **more: Any) -> dict[str, Any]:
    return {
        "mail": {
            "host": "127.0.0.1",
            "port": port,
            "from": "tiski@chat.example",
            "starttls": False,
            "library_addresses": {"tampere": "palaute@tampere.example"},
            **more,
        }
    }


async def events(s: Stack, session_id: str) -> list[tuple[str, str, str | None, str | None]]:
    assert s.bridge is not None and s.bridge.store is not None
    return await s.bridge.store.events(session_id)


# follow-ups


@pytest.mark.both_stores
async def test_followup_claimed_answered_by_email_and_closed(tmp_path: Path, mailbox: Mailbox) -> None:
    s = await start_stack(tmp_path, extra=mail_config(mailbox.port))
    try:
        tampere = await s.desk("tampere@chat.localhost")
        nokia = await s.desk("nokia@chat.localhost")
        p = await s.patron()
        await p.send_frame(
            {
                "type": "leave_message",
                "text": "Onko Seitsemän veljestä hyllyssä?",
                "contact": "Matti, matti@example.org",
            }
        )
        await p.recv_type("state", state="closed")

        notice = await tampere.next_message("followup")
        fid = notice.chat["followup"]
        assert notice.chat["library"] == "tampere"
        assert "Seitsemän veljestä" in notice.body and "matti@example.org" in notice.body
        await nokia.no_message(0.3, kind="followup")  # not Nokia's library, and its home desk is in

        listing = await tampere.command("followups")
        assert listing["items"] == [
            {
                "id": fid,
                "library": "tampere",
                "ts": listing["items"][0]["ts"],
                "text": "Onko Seitsemän veljestä hyllyssä?",
                "contact": "Matti, matti@example.org",
                "status": "open",
                "claimed_by": "",
            }
        ]
        assert (await nokia.command("followups"))["items"] == []  # Nokia's own list
        everyone = await nokia.command("followups", scope="service")
        assert [r["id"] for r in everyone["items"]] == [fid]

        res = await tampere.command("followup-claim", id=fid)
        assert res["values"]["status"] == "ok", res
        refused = await nokia.command("followup-claim", id=fid)
        assert refused["values"]["status"] == "error"
        assert "tampere@chat.localhost/desk-1 has claimed" in refused["values"]["message"]
        refused = await nokia.command("followup-answer", id=fid, text="Nokiasta hei")
        assert refused["values"]["status"] == "error"

        res = await tampere.command(
            "followup-answer", id=fid, text="Hei Matti! Kirja on hyllyssä, tervetuloa hakemaan."
        )
        assert res["values"]["status"] == "ok", res
        assert "matti@example.org" in res["values"]["message"]
        rcpts, mail = await mailbox.next()
        assert rcpts == ["matti@example.org"]
        assert mail["To"] == "matti@example.org"
        assert mail["From"] == "tiski@chat.example"
        assert mail["Subject"] == "Vastaus viestiisi – Tampere"
        assert mail["Reply-To"] == "palaute@tampere.example"
        body = mail.get_content().replace("\r\n", "\n")
        assert body.startswith("Hei Matti! Kirja on hyllyssä, tervetuloa hakemaan.\n")
        assert "> Onko Seitsemän veljestä hyllyssä?" in body and "Tampere" in body

        again = await tampere.command("followup-answer", id=fid, text="toinen vastaus")
        assert again["values"]["status"] == "error" and "already answered" in again["values"]["message"]
        row = (await tampere.command("followups"))["items"][0]
        assert row["status"] == "answered" and row["claimed_by"] == "tampere@chat.localhost/desk-1"

        res = await tampere.command("followup-close", id=fid)
        assert res["values"]["status"] == "ok"
        assert (await tampere.command("followups"))["items"] == []
        closed = await tampere.command("followups", status="closed")
        assert [r["status"] for r in closed["items"]] == ["closed"]

        stored = await s.db_rows("SELECT answer, answered_by, mailed_to, closed_by FROM followups")
        assert stored == [
            (
                "Hei Matti! Kirja on hyllyssä, tervetuloa hakemaan.",
                "tampere@chat.localhost/desk-1",
                "matti@example.org",
                "tampere@chat.localhost/desk-1",
            )
        ]
        kinds = [e[1] for e in await events(s, notice.session)]
        assert ["followup_claimed", "followup_answered", "followup_closed"] == [
            k for k in kinds if k.startswith("followup_")
        ]
        assert mailbox.inbox.empty()
    finally:
        await s.close()


@pytest.mark.both_stores
async def test_followup_without_address_is_recorded_and_pool_mates_see_it(
    tmp_path: Path, mailbox: Mailbox
) -> None:
    s = await start_stack(tmp_path, extra=mail_config(mailbox.port))
    try:
        akaa = await s.desk("akaa@chat.localhost")
        ikaalinen = await s.desk("ikaalinen@chat.localhost")
        p = await s.patron(library="hameenkyro", lang="sv")  # pool-1 with Akaa and Ikaalinen
        await p.send_frame({"type": "leave_message", "text": "Ring mig", "contact": "040 123 4567"})
        notice = await akaa.next_message("followup")  # Hämeenkyrö's own desk is away: its pool mates
        assert (await ikaalinen.next_message("followup")).chat["followup"] == notice.chat["followup"]
        fid = notice.chat["followup"]
        assert [r["id"] for r in (await ikaalinen.command("followups"))["items"]] == [fid]
        on_duty = await s.desk("tampere@chat.localhost")  # Monday: Tampere serves every library
        assert [r["id"] for r in (await on_duty.command("followups"))["items"]] == [fid]
        nokia = await s.desk("nokia@chat.localhost")  # neither home nor on duty
        assert (await nokia.command("followups"))["items"] == []
        res = await akaa.command("followup-answer", id=fid, text="Soitettu 12.10, asia hoidettu.")
        assert res["values"]["status"] == "ok"
        assert "No e-mail address" in res["values"]["message"] and "040 123 4567" in res["values"]["message"]
        assert mailbox.inbox.empty()
        res = await akaa.command("followup-claim", id="#" + fid)
        assert res["values"]["status"] == "error" and "already answered" in res["values"]["message"]
        res = await akaa.command("followup-close", id="999")
        assert res["values"]["status"] == "error" and "No follow-up '999'" in res["values"]["message"]
    finally:
        await s.close()


@pytest.mark.both_stores
async def test_mail_server_down_keeps_the_followup_claimed(tmp_path: Path) -> None:
    s = await start_stack(tmp_path, extra=mail_config(free_port()))
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.send_frame({"type": "leave_message", "text": "Kysymys", "contact": "a@example.org"})
        fid = (await desk.next_message("followup")).chat["followup"]
        claim = await desk.command_two_step("followup-claim", id=fid)  # as plain clients do it
        assert claim["first"].get_fields()["id"]["required"] and claim["values"]["status"] == "ok"
        res = await desk.command("followup-answer", id=fid, text="Vastaus")
        assert res["values"]["status"] == "error"
        assert res["values"]["message"].startswith("Not sent: the mail server 127.0.0.1:")
        assert (await desk.command("followups"))["items"][0]["status"] == "claimed"
        assert await s.db_rows("SELECT answer, claimed_by FROM followups") == [
            (None, "tampere@chat.localhost/desk-1")
        ]
    finally:
        await s.close()


# forwarding


@pytest.mark.both_stores
async def test_forward_transcript_to_library_and_address(tmp_path: Path, mailbox: Mailbox) -> None:
    s = await start_stack(tmp_path, extra=mail_config(mailbox.port, forward_domains=["tampere.example"]))
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("Voisitteko hankkia kirjan Tuntematon sotilas äänikirjana?")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "Välitän hankintaehdotuksen eteenpäin.")
        await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")
        desk.say(offer.frm, "/note asiakkaalla oli kiire")
        await desk.next_message("info")

        desk.say(offer.frm, "/forward tampere Hankintaehdotus äänikirjasta")
        assert (await desk.next_message("info")).body == "Transcript sent to palaute@tampere.example."
        rcpts, mail = await mailbox.next()
        assert rcpts == ["palaute@tampere.example"] and mail["To"] == "palaute@tampere.example"
        assert mail["Subject"].startswith("Chat transcript: Patron ")
        assert mail["Subject"].endswith("(Tampere), 23 Nov 2026")  # the demo day, not the real one
        assert "23 Nov 2026" in mail["Date"]
        body = mail.get_content().replace("\r\n", "\n")
        assert "Forwarded by tampere@chat.localhost/desk-1 (Tampere)." in body
        assert "Hankintaehdotus äänikirjasta" in body
        assert "Patron: Voisitteko hankkia kirjan Tuntematon sotilas äänikirjana?" in body
        assert "Librarian (Tampere): Välitän hankintaehdotuksen eteenpäin." in body
        assert "kiire" not in body  # internal notes stay inside

        res = await desk.command_two_step(
            "forward", session=offer.session, recipient="hankinnat@tampere.example"
        )
        fields = res["first"].get_fields()
        assert fields["session"].get_value() == offer.session
        assert fields["recipient"]["label"] == "Library id or e-mail address"
        assert not fields["text"]["required"]
        assert res["values"]["status"] == "ok", res
        rcpts, mail = await mailbox.next()
        assert rcpts == ["hankinnat@tampere.example"]
        assert "Tuntematon sotilas" in mail.get_content()

        desk.say(offer.frm, "/forward someone@elsewhere.example")
        assert "only to addresses at tampere.example" in (await desk.next_message("info")).body
        desk.say(offer.frm, "/forward nokia")
        answer = (await desk.next_message("info")).body
        assert "No address for 'nokia'" in answer and "tampere" in answer
        assert mailbox.inbox.empty()
        forwarded = [e for e in await events(s, offer.session) if e[1] == "forwarded"]
        assert [e[3] for e in forwarded] == [
            '{"to": "palaute@tampere.example"}',
            '{"to": "hankinnat@tampere.example"}',
        ]
        desk.say(offer.frm, "/help")
        assert "/forward TO [NOTE]" in (await desk.next_message("info")).body
    finally:
        await s.close()


async def test_forward_without_mail_config_says_so(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "/forward tampere")
    assert "no mail server configured" in (await desk.next_message("info")).body


# a proper close


async def test_end_refused_without_a_tag_when_required(tmp_path: Path) -> None:
    s = await start_stack(tmp_path, extra={"require_tag_to_end": True})
    try:
        desk = await s.desk("tampere@chat.localhost")
        p = await s.patron()
        await p.say("Miten uusin lainat?")
        offer = await desk.next_message("offer")
        desk.say(offer.frm, "/accept")
        await desk.next_message("accepted")

        desk.say(offer.frm, "/end")
        refusal = (await desk.next_message("info")).body
        lines = refusal.splitlines()
        assert lines[0].startswith("Tag the chat before ending it")
        assert lines[1] == "1. Logging in (login)"
        desk.say(offer.frm, "/tags")
        assert (await desk.next_message("info")).body == "\n".join(lines[1:])  # numbered as /tags

        res = await desk.command("end", session=offer.session)
        assert res["values"]["status"] == "error"
        assert "1. Logging in (login)" in res["values"]["message"]
        assert not [f for f in p.frames if f.get("state") == "ended"]

        desk.say(offer.frm, "/tag 5")
        await desk.next_message("info")
        desk.say(offer.frm, "/end")
        await p.recv_type("state", state="ended")
    finally:
        await s.close()


async def test_end_without_tag_allowed_by_default(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("hei")
    offer = await desk.next_message("offer")
    res = await desk.command("end", session=offer.session)
    assert res["values"]["status"] == "ok"
    await p.recv_type("state", state="ended")


# ratings


@pytest.mark.both_stores
async def test_rating_after_end_stored_once_bad_ones_rejected(stack: Stack) -> None:
    desk = await stack.desk("tampere@chat.localhost")
    p = await stack.patron()
    await p.say("Kiitos avusta etukäteen")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Ole hyvä!")
    await p.recv(lambda f: f["type"] == "message" and f["from"] == "librarian")

    async def rate(**fields: Any) -> dict[str, Any]:
        await p.send_frame({"type": "rating", **fields})
        return await p.recv(lambda f: f["type"] in ("rated", "error"))

    early = await rate(score=5)
    assert early == {"type": "error", "code": "not_ended", "message": "a chat can be rated once it has ended"}
    desk.say(offer.frm, "/end")
    await p.recv_type("state", state="ended")

    for bad in (
        {},
        {"score": 0},
        {"score": 6},
        {"score": "5"},
        {"score": 4.5},
        {"score": True},
        {"score": 3, "comment": 42},
    ):
        frame = await rate(**bad)
        assert frame["type"] == "error" and frame["code"] == "bad_request", (bad, frame)
        assert "score" in frame["message"] or "comment" in frame["message"]
    too_long = await rate(score=3, comment="x" * 1001)
    assert too_long["code"] == "too_long" and "1000" in too_long["message"]

    assert await rate(score=4, comment="  Nopea ja ystävällinen apu.  ") == {"type": "rated", "score": 4}
    again = await rate(score=1)
    assert again["type"] == "error" and again["code"] == "already_rated"
    rows = await stack.db_rows("SELECT session_id, score, comment FROM ratings")
    assert rows == [(offer.session, 4, "Nopea ja ystävällinen apu.")]
    assert "rated" in [e[1] for e in await events(stack, offer.session)]


# units: no server


def test_find_address_in_contact_details() -> None:
    assert find_address("Matti, matti.m@example.org / 040 123") == "matti.m@example.org"
    assert find_address("040 123 4567") is None
    assert find_address(None) is None
    assert find_address("posti: a@b.fi.") == "a@b.fi"


def test_answer_body_quotes_the_patron_in_their_language() -> None:
    at = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
    body = answer_body("sv", "Nokia", "Hej!", "Fråga ett\nrad två", at)
    assert body.startswith("Hej!\n\n-- \nNokia – bibliotekets chatt\n")
    assert "Du skrev 23.11.2026 kl. 10.05:\n> Fråga ett\n> rad två\n" in body


def test_rating_parsing() -> None:
    assert Rating.from_frame({"score": 1}) == Rating(1, None)
    assert Rating.from_frame({"score": 5, "comment": "  "}) == Rating(5, None)
    with pytest.raises(RatingError) as e:
        Rating.from_frame({"score": 5, "comment": "x" * 1001})
    assert e.value.code == "too_long"


def test_mail_config_errors_name_the_key(tmp_path: Path) -> None:
    base = {"xmpp": {"component": "c.example", "secret": "s"}, "database": "db", "rota": "r"}
    cfg = parse_config({**base, **mail_config(2525)}, tmp_path)
    assert cfg.mail is not None and cfg.mail.port == 2525 and not cfg.mail.starttls
    assert cfg.mail.library_addresses == {"tampere": "palaute@tampere.example"}
    assert parse_config(base, tmp_path).mail is None
    assert parse_config(base, tmp_path).require_tag_to_end is False
    for raw, key in (
        ({"host": "h", "from": "nope"}, "mail.from"),
        ({"from": "a@b.fi"}, "mail.host"),
        ({"host": "h", "from": "a@b.fi", "port": "x"}, "mail.port"),
        ({"host": "h", "from": "a@b.fi", "library_addresses": {"x": "y"}}, "mail.library_addresses"),
        ({"host": "h", "from": "a@b.fi", "tls": True}, "unknown key"),
    ):
        with pytest.raises(ConfigError, match=key):
            parse_mail_config(raw, tmp_path)
    secret = tmp_path / "smtp-password"
    secret.write_text("hunter2\n")
    secret.chmod(0o600)
    raw = {"host": "h", "from": "a@b.fi", "username": "u", "password_file": "smtp-password"}
    mail = parse_mail_config(raw, tmp_path)
    assert mail is not None and mail.password == "hunter2" and mail.port == 587 and mail.starttls
    with pytest.raises(ConfigError, match="require_tag_to_end"):
        parse_config({**base, "require_tag_to_end": "yes"}, tmp_path)
