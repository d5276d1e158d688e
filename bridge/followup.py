"""Follow-ups: messages patrons left, listed for their library, claimed, answered and closed.

A follow-up is a row of `left_messages` (its `status`) plus, once a desk touched it, a row of
`followups` (who claimed, answered, closed). Its home is the session's library (the page's
library); a desk sees its own library's and its pool mates' follow-ups, the desk on duty sees
all, and any desk may take one from the whole service's list. docs/followups.md tells the story.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slixmpp import JID

from bridge.clock import parse_ts
from bridge.desklang import said, say
from bridge.errors import CommandError
from bridge.mail import MailError, MailSender, SmtpMailer, compose
from bridge.mailtext import answer_body, answer_subject
from bridge.storage import ChatStorage, Followup, FollowupStatus
from rota.decide import on_duty, route

if TYPE_CHECKING:
    from bridge.chat import LiveChat
    from bridge.chats.service import ChatService

log = logging.getLogger(__name__)


Status = FollowupStatus  # where a follow-up is (left_messages.status)

PENDING = (Status.OPEN, Status.CLAIMED, Status.ANSWERED)


class FollowupStore:
    """The follow-up tables, over the bridge's store."""

    def __init__(self, store: ChatStorage) -> None:
        self.store = store

    async def get(self, followup_id: int) -> Followup | None:
        return await self.store.followup(followup_id)

    async def latest(self, session_id: str) -> Followup | None:
        return await self.store.latest_followup(session_id)

    async def listing(self, libraries: set[str] | None, statuses: tuple[Status, ...]) -> list[Followup]:
        """Follow-ups of `libraries` (None: all) in `statuses`, oldest first."""
        found = await self.store.followups(statuses)
        return [f for f in found if libraries is None or f.library in libraries]

    async def _set(
        self, f: Followup, status: Status, event: str, seat: str, columns: dict[str, str | None]
    ) -> None:
        await self.store.set_followup(f, status, event, seat, JID(seat).bare, columns)

    async def claim(self, f: Followup, seat: str) -> None:
        await self._set(
            f,
            Status.CLAIMED,
            "followup_claimed",
            seat,
            {"claimed_by": seat, "claimed_at": self.store.clock.stamp()},
        )

    async def answer(self, f: Followup, seat: str, text: str, mailed_to: str | None) -> None:
        columns = {
            "answer": text,
            "answered_by": seat,
            "answered_at": self.store.clock.stamp(),
            "mailed_to": mailed_to,
        }
        if f.claimed_by is None:
            columns.update(claimed_by=seat, claimed_at=columns["answered_at"])
        await self._set(f, Status.ANSWERED, "followup_answered", seat, columns)

    async def close(self, f: Followup, seat: str) -> None:
        await self._set(
            f,
            Status.CLOSED,
            "followup_closed",
            seat,
            {"closed_by": seat, "closed_at": self.store.clock.stamp()},
        )


class Followups:
    """What desks do with follow-ups, and the notice when a patron leaves a message."""

    def __init__(self, service: ChatService, mailer: MailSender | None = None) -> None:
        self.service = service
        self.db = FollowupStore(service.svc.store)
        mail = service.svc.config.mail
        self.mailer = mailer or (SmtpMailer(mail) if mail else None)

    # the notice

    async def announce(self, chat: LiveChat) -> None:
        """Tell the home library's online seats (or else the desks on duty) about a left message."""
        f = await self.db.latest(chat.id)
        if f is None:
            return
        svc = self.service
        seats = [s for d in svc.roster.desks_of(self.home_target(f.library)) for s in self._online(d)]
        if not seats:
            decision = route(svc.roster, svc.svc.clock.now(), svc.seats.available_desks())
            seats = [s for d in decision.desks for s in svc.seats.offerable_seats(d)]
        if not seats:
            log.info("follow-up %s left for %s; nobody online to tell", f.id, f.library)
            return
        contact = said("followup.contact", contact=f.contact) if f.contact else said("followup.no_contact")
        body = said(
            "followup.notice",
            id=f.id,
            nick=chat.nickname,
            library=svc.library_name(f.library),
            lang=f.lang,
            text=f.text,
            contact=contact,
        )
        svc.notify(chat, seats, "followup", body, {"followup": str(f.id)})

    def _online(self, desk: str) -> list[str]:
        return [f"{desk}/{r}" for r in sorted(self.service.seats.seats.get(desk, {}))]

    def home_target(self, library: str) -> str:
        """The library's pool if it has one (pool mates share the work), else the library."""
        return self.service.roster.pool_of(library) or library

    # the list

    def libraries_of(self, seat: str, scope: str) -> set[str] | None:
        """Libraries whose follow-ups `seat` sees: its own and its pool mates', or all (None).

        The desk on duty serves every library's patrons, so it sees every library's follow-ups.
        """
        roster = self.service.roster
        library = roster.library_of_desk(JID(seat).bare)
        if scope == "service" or library is None:
            return None
        home = self.home_target(library)
        if on_duty(roster, self.service.svc.clock.now()) in (library, home):
            return None
        return set(roster.members_of(home))

    async def listing(self, seat: str, scope: str = "", status: str = "") -> list[Followup]:
        if scope not in ("", "desk", "service"):
            raise CommandError(self.text(seat, "followup.scope", scope=scope))
        if status and status != "all" and status not in {s.value for s in Status}:
            raise CommandError(self.text(seat, "followup.status", status=status))
        statuses = tuple(Status) if status == "all" else (Status(status),) if status else PENDING
        return await self.db.listing(self.libraries_of(seat, scope or "desk"), statuses)

    # the steps

    def text(self, seat: str, key: str, /, **params: object) -> str:
        """A text of bridge/desklang.py in the seat's language."""
        return say(self.service.seat_lang(seat), key, **params)

    async def _get(self, followup_id: str, seat: str) -> Followup:
        number = followup_id.strip().lstrip("#")
        f = await self.db.get(int(number)) if number.isdigit() else None
        if f is None:
            raise CommandError(self.text(seat, "followup.unknown", id=followup_id))
        return f

    def _lock(self, followup_id: str) -> Any:
        return self.service.live.lock(f"followup-{followup_id.strip().lstrip('#')}")

    def _may_act(self, f: Followup, seat: str) -> None:
        """A follow-up claimed by another desk account is that desk's (coordinators excepted)."""
        if f.status is Status.CLOSED:
            raise CommandError(self.text(seat, "followup.closed", id=f.id))
        if (
            f.claimed_by
            and JID(f.claimed_by).bare != JID(seat).bare
            and JID(seat).bare not in self.service.roster.coordinators
        ):
            raise CommandError(self.text(seat, "followup.claimed_by", who=f.claimed_by, id=f.id))

    async def claim(self, seat: str, followup_id: str) -> str:
        async with self._lock(followup_id):
            f = await self._get(followup_id, seat)
            self._may_act(f, seat)
            if f.status is Status.ANSWERED:
                raise CommandError(self.text(seat, "followup.answered_by", id=f.id, who=f.answered_by))
            if f.claimed_by and JID(f.claimed_by).bare == JID(seat).bare:
                return self.text(seat, "followup.already_yours", id=f.id)
            await self.db.claim(f, seat)
        return self.text(seat, "followup.yours", id=f.id)

    async def answer(self, seat: str, followup_id: str, text: str) -> str:
        if not text.strip():
            raise CommandError(self.text(seat, "followup.no_text"))
        async with self._lock(followup_id):
            f = await self._get(followup_id, seat)
            self._may_act(f, seat)
            if f.status is Status.ANSWERED:
                raise CommandError(
                    self.text(seat, "followup.answered_at", id=f.id, who=f.answered_by, at=f.answered_at)
                )
            address = f.email
            if address is not None:
                await self._mail_answer(f, address, text, seat)
            await self.db.answer(f, seat, text, address)
        if address is not None:
            return self.text(seat, "followup.mailed", id=f.id, address=address)
        how = (
            self.text(seat, "followup.contact_is", contact=f.contact)
            if f.contact
            else self.text(seat, "followup.left_no_contact")
        )
        return self.text(seat, "followup.recorded", how=how)

    async def _mail_answer(self, f: Followup, address: str, text: str, seat: str = "") -> None:
        svc = self.service
        mail = svc.svc.config.mail
        if self.mailer is None or mail is None:
            raise CommandError(self.text(seat, "followup.no_mail", address=address))
        library = svc.library_name(f.library)
        left_at = parse_ts(f.ts).astimezone(svc.roster.timezone)
        message = compose(
            mail.sender,
            address,
            answer_subject(f.lang, library),
            answer_body(
                f.lang, library, text, f.text, left_at, card_patterns=svc.svc.config.privacy.card_patterns
            ),
            when=svc.svc.clock.now(),
            reply_to=library_address(svc, f.library),
        )
        try:
            await self.mailer.send(message)
        except MailError as e:
            raise CommandError(self.text(seat, "followup.mail_failed", error=e)) from e

    async def close(self, seat: str, followup_id: str) -> str:
        async with self._lock(followup_id):
            f = await self._get(followup_id, seat)
            self._may_act(f, seat)
            await self.db.close(f, seat)
        return self.text(seat, "followup.closed", id=f.id)


def library_address(service: ChatService, library_id: str) -> str | None:
    """A library's e-mail address: the roster's `email` if it has one, else `mail.library_addresses`."""
    lib = service.roster.libraries.get(library_id)
    from_roster = getattr(lib, "email", None)
    if isinstance(from_roster, str) and from_roster:
        return from_roster
    mail = service.svc.config.mail
    return mail.library_addresses.get(library_id) if mail else None
