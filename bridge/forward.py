"""Forwarding a chat's transcript by e-mail to a library's address (feedback, purchase requests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slixmpp import JID

from bridge.clock import parse_ts
from bridge.errors import CommandError
from bridge.followup import library_address
from bridge.mail import MailError, MailSender, SmtpMailer, compose, is_address
from bridge.mailtext import transcript_body, transcript_subject

if TYPE_CHECKING:
    from bridge.chats.service import ChatService


def recipient(service: ChatService, to: str) -> str:
    """The address to forward to: a library id with an address, or an allowed e-mail address."""
    mail = service.svc.config.mail
    if mail is None:
        raise CommandError("The bridge has no mail server configured (`mail:` in its config).")
    wanted = to.strip()
    if is_address(wanted):
        domain = wanted.rpartition("@")[2].lower()
        allowed = mail.forward_domains
        known = set(mail.library_addresses.values())
        if allowed and wanted not in known and domain not in allowed:
            raise CommandError(
                f"Transcripts may go only to addresses at {', '.join(allowed)} or to a library id."
            )
        return wanted
    lib = next((i for i in service.roster.libraries if i.casefold() == wanted.casefold()), None)
    address = library_address(service, lib) if lib else None
    if address is None:
        with_address = sorted(i for i in service.roster.libraries if library_address(service, i))
        raise CommandError(
            f"No address for {to!r}. Give an e-mail address or a library id with one: "
            f"{', '.join(with_address) or 'none configured (mail.library_addresses)'}."
        )
    return address


async def forward_transcript(
    service: ChatService,
    seat: str,
    session_id: str,
    to: str,
    note: str = "",
    mailer: MailSender | None = None,
) -> str:
    """Mail a chat's transcript (no internal notes, no contact details) and record who sent it where."""
    address = recipient(service, to)
    store = service.svc.store
    session = await store.session(session_id)
    if session is None:
        raise CommandError(f"No chat {session_id!r}.")
    mail = service.svc.config.mail
    assert mail is not None
    tz = service.roster.timezone
    history = [m for m in await store.history(session_id) if m.sender != "note"]
    left = await store.left_messages(session_id)
    library = service.library_name(session.library)
    started = parse_ts(session.created_at).astimezone(tz)
    nickname = "Patron " + session_id.removeprefix("p-")[:4].upper()
    body = transcript_body(
        session_id=session_id,
        library=library,
        lang=session.lang,
        page=session.page,
        started=started,
        tags=await store.tags(session_id),
        lines=[(parse_ts(m.ts).astimezone(tz), m) for m in history],
        left=[(parse_ts(ts).astimezone(tz), text) for text, _contact, ts in left],
        forwarded_by=f"{seat} ({service.desk_name(seat)})",
        note=note,
    )
    message = compose(
        mail.sender,
        address,
        transcript_subject(nickname, library, started),
        body,
        when=service.svc.clock.now(),
    )
    try:
        await (mailer or SmtpMailer(mail)).send(message)
    except MailError as e:
        raise CommandError(f"Not sent: {e}") from e
    await store.add_event(session_id, "forwarded", seat=seat, desk=JID(seat).bare, data={"to": address})
    return f"Transcript sent to {address}."
