"""The chat service: patrons on one side, desks on the other, the store and the rota between.

Every change is written to the store before anyone is told about it. The parts: `LiveChats`
(chats, locks, queue places), `Transitions` (the only writer of a chat's life), `Router`
(offers), `DeskNotices` and `PatronLinks` (telling people), `ChatSync` (lines to sockets by
cursor, the live view in step with other bridges), and the timers below.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slixmpp import JID

from bridge.capacity import Capacity
from bridge.chat import WAITING, ChatState, LiveChat
from bridge.chats.live import LiveChats, from_session
from bridge.chats.notices import DeskNotices, DeskSender
from bridge.chats.patrons import PatronLink, PatronLinks, message_frame
from bridge.chats.routing import Router
from bridge.chats.sync import ChatSync
from bridge.chats.transitions import Transitions
from bridge.clock import Clock, parse_ts
from bridge.cluster.bus import Bus, LocalBus
from bridge.cluster.events import Event, PatronEvent, SeatEvent, TypingEvent
from bridge.cluster.leases import AllLeases, TimerLeases
from bridge.cluster.presence import LocalPresence, PatronPresence, Presence
from bridge.config import BridgeConfig
from bridge.desklang import Text, choose, said
from bridge.errors import StoreError
from bridge.presence import SeatBook
from bridge.reload import FileWatch
from bridge.storage import ChatMessage, ChatStorage
from deskproto import Kind
from rota import Roster
from rota.decide import hours_text, is_open, next_opening
from rota.text import when_text
from tags import TagSet
from tags.rules import PatronLeft, is_interrupted

log = logging.getLogger(__name__)

SESSION_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
# Timers whose effect must happen once for the whole service: each runs on the bridge holding
# its lease (docs/cluster.md, "A lease per timer"). One bridge alone holds them all.
SERVICE_TIMERS = ("queue_timeout", "rollover", "expiry", "retention")


def raise_if_cancelling() -> None:
    """Re-raise a cancellation that library code turned into an ordinary exception.

    A loop that logs and goes on after `except Exception` would otherwise outlive its stop.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def new_session_id() -> str:
    return "p-" + "".join(secrets.choice(SESSION_ALPHABET) for _ in range(10))


@dataclass
class Services:
    """The pieces the chat service uses, passed in by the app."""

    config: BridgeConfig
    store: ChatStorage
    roster: Roster
    tagset: TagSet
    clock: Clock
    faq: Any = None
    canned: tuple[Any, ...] = ()
    bus: Bus = field(default_factory=LocalBus)  # events between bridges (or within this one)
    leases: TimerLeases = field(default_factory=AllLeases)  # who runs each service-wide timer
    presence: Presence = field(default_factory=LocalPresence)  # seats and patrons, for all bridges


class ChatService:
    """Routes chats between patron links and desk seats."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.live = LiveChats()
        self.seats = SeatBook()
        self.notices = DeskNotices(self.library_name, self.seat_lang)
        self.transitions = Transitions(svc.store, svc.clock, self.live)
        self.router = Router(svc, self.live, self.seats, self.transitions, self.notices)
        self.patrons = PatronLinks(self.live)
        self.files = FileWatch()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._housekeeping: asyncio.Task[Any] | None = None
        self._facts: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
        self.bus = svc.bus
        self.sync = ChatSync(
            svc.store, svc.bus, self.live, self.transitions, self.patrons, self.notices, self.tell_state
        )
        self.bus.subscribe(self.on_presence_event)
        self.rounds = 0  # housekeeping rounds done

    # the parts, as the rest of the bridge sees them

    @property
    def chats(self) -> dict[str, LiveChat]:
        """Live chats by id (read them; change them only through the transitions)."""
        return self.live.by_id

    @property
    def desks(self) -> DeskSender | None:
        return self.notices.desks

    @desks.setter
    def desks(self, sender: DeskSender | None) -> None:
        self.notices.desks = sender

    @property
    def capacity(self) -> Capacity:
        return self.router.capacity

    @capacity.setter
    def capacity(self, limits: Capacity) -> None:
        self.router.capacity = limits

    @property
    def roster(self) -> Roster:
        return self.svc.roster

    @property
    def clock(self) -> Clock:
        return self.svc.clock

    # start-up

    async def load(self) -> None:
        """Rebuild the live view from the store after a start or a crash.

        No patron is connected yet: each chat's patron counts as gone from now on, so a chat
        whose patron does not come back within the grace ends like any other abandoned chat.
        While other bridges are running, its patron may be connected to one of them: then no
        chat counts as gone here (docs/cluster.md, "What is built": patron_links).
        """
        now = self.clock.now()
        shared = self.svc.presence.shared
        alone = not await self.svc.leases.others_alive()
        for s in await self.svc.store.live_sessions():
            chat = from_session(s)
            chat.tags = await self.svc.store.tags(s.id)
            chat.first_line = await self.svc.store.first_patron_line(s.id)
            self.live.add(chat)
            if shared:
                self._patron_as_seen(chat, await self.svc.presence.patron(s.id))
            elif alone:
                self.transitions.patron_gone(chat, now)
        for seat in await self.svc.presence.seats():  # desks seen by the other bridges
            self._seat_seen(JID(seat.seat), seat.available, seat.show, seat.lang)
        log.info("loaded %d live chats", len(self.live))

    async def on_connected(self) -> None:
        """The component is (re)connected: ask every desk of the roster for its presence."""
        if self.desks is not None:
            self.desks.ask_desks(sorted({d for lib in self.roster.libraries.values() for d in lib.desks}))

    def spawn(self, coro: Coroutine[Any, Any, Any], *, timer: bool = False) -> asyncio.Task[Any]:
        """Run background work whose exceptions are logged, not lost; `timer`: mostly waiting."""
        task = asyncio.create_task(coro)
        task.timer = timer  # type: ignore[attr-defined]
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("background task failed", exc_info=t.exception())

        task.add_done_callback(done)
        return task

    # facts for patrons

    def is_open(self) -> bool:
        return is_open(self.roster, self.clock.now())

    def welcome_facts(self, lang: str) -> dict[str, Any]:
        """Open now, the hours and the next opening: the same for everyone within a minute."""
        now = self.clock.now()
        key = (id(self.roster), int(now.timestamp() // 60))
        cached = self._facts.get(lang)
        if cached is not None and cached[0] == key:
            return cached[1]
        opening = next_opening(self.roster, now)
        facts = {
            "open": is_open(self.roster, now),
            "hours": hours_text(self.roster, lang),
            "next_opening": opening.isoformat() if opening else None,
            "next_opening_text": when_text(opening.astimezone(self.roster.timezone), lang) if opening else "",
        }
        self._facts[lang] = (key, facts)
        return facts

    def roster_facts(self, chat: LiveChat) -> dict[str, str]:
        """Facts of the roster for automatic answers: open now, hours, next opening, contacts."""
        facts = self.welcome_facts(chat.lang)
        lib = self.roster.libraries.get(chat.library)
        return {
            "open": "yes" if facts["open"] else "no",
            "hours": facts["hours"],
            "next_opening": facts["next_opening_text"],
            "library_name": self.library_name(chat.library),
            "phone": (lib.phone or "") if lib else "",
            "url": (lib.url or "") if lib else "",
        }

    def desk_name(self, seat: str) -> str:
        """The display name of a seat's desk: its library's name."""
        lib = self.roster.library_of_desk(JID(seat).bare)
        return self.roster.libraries[lib].name if lib else JID(seat).user

    def library_name(self, library_id: str) -> str:
        lib = self.roster.libraries.get(library_id)
        return lib.name if lib else library_id

    def seat_lang(self, seat: str) -> str:
        """The language of the texts to a seat: its client's, else its library's, else Finnish."""
        lib = self.roster.libraries.get(self.roster.library_of_desk(JID(seat).bare) or "")
        return choose(self.seats.lang_of(seat), lib.lang if lib else None)

    def colleagues(self, seat: str) -> set[str]:
        """The other signed-in seats of `seat`'s desk account (any presence)."""
        desk = JID(seat).bare
        return {f"{desk}/{r}" for r in self.seats.seats.get(desk, {})} - {seat}

    def is_desk(self, seat: JID) -> bool:
        return self.roster.library_of_desk(seat.bare) is not None

    # patron links

    async def send_patron(self, session_id: str, frame: dict[str, Any]) -> int:
        """Send a frame to every socket of the chat; how many took it."""
        return await self.patrons.send(session_id, frame)

    def attach(self, session_id: str, link: PatronLink) -> None:
        self.patrons.attach(session_id, link)
        chat = self.live.get(session_id)
        if chat is not None and self.transitions.patron_back(chat, self.clock.now()) and chat.owner:
            self.notices.notify(chat, [chat.owner], Kind.PATRON_BACK, said("patron_back", nick=chat.nickname))
        if self.svc.presence.shared:
            self.spawn(self._tell_presence(self.svc.presence.attach(session_id)))

    def detach(self, session_id: str, link: PatronLink) -> None:
        if not self.patrons.detach(session_id, link):
            return
        if self.svc.presence.shared:  # the patron may still have a socket on another bridge
            self.spawn(self._left_shared(session_id))
            return
        chat = self.live.get(session_id)
        if chat is None or chat.state is ChatState.ENDED:
            return
        self._patron_left(chat, self.clock.now())

    async def _tell_presence(self, write: Coroutine[Any, Any, None]) -> None:
        try:
            await write
        except StoreError as e:
            log.warning("presence not shared with the other bridges: %s", e)

    async def _left_shared(self, session_id: str) -> None:
        """This bridge's last socket of the chat closed: gone, unless another bridge holds one."""
        await self._tell_presence(self.svc.presence.detach(session_id))
        try:
            seen = await self.svc.presence.patron(session_id)
        except StoreError:
            seen = PatronPresence(False, 0.0)  # nobody can tell: as on one bridge
        chat = self.live.get(session_id)
        if chat is None or chat.state is ChatState.ENDED or seen.present or session_id in self.patrons:
            return
        self._patron_left(chat, self.clock.now())

    def _patron_as_seen(self, chat: LiveChat, seen: PatronPresence) -> bool:
        """The live view takes the patron's presence as all the bridges see it; True if the
        patron has just gone (as far as this bridge knew)."""
        now = self.clock.now()
        if seen.present or chat.id in self.patrons:
            self.transitions.patron_back(chat, now)
            return False
        if chat.gone_since is not None:
            return False
        self.transitions.patron_gone(chat, now - timedelta(seconds=seen.gone_for or 0.0))
        return True

    def _patron_left(self, chat: LiveChat, now: datetime) -> None:
        """The patron has no socket left: the owner is told at once."""
        self.transitions.patron_gone(chat, now)
        self._tell_owner_left(chat)

    def _tell_owner_left(self, chat: LiveChat) -> None:
        if chat.owner:
            grace = self.svc.config.interrupted_grace_seconds
            self.notices.notify(
                chat,
                [chat.owner],
                Kind.PATRON_LEFT,
                said("patron_left", nick=chat.nickname, grace=grace),
                {"left_at": self.clock.stamp()},
            )

    def state_frame(self, chat: LiveChat) -> dict[str, Any]:
        return self.patrons.state_frame(chat, self.desk_name(chat.owner) if chat.owner else None)

    async def tell_state(self, chat: LiveChat) -> None:
        await self.send_patron(chat.id, self.state_frame(chat))

    def position(self, chat: LiveChat) -> int:
        """1-based place among chats waiting for the same target whose patrons are here."""
        return self.live.position(chat)

    async def tell_positions(self) -> int:
        """Tell waiting patrons whose place changed (the housekeeping does this once a second)."""
        return await self.patrons.tell_positions(lambda c: self.desk_name(c.owner) if c.owner else None)

    # sessions

    async def start_session(self, library: str, lang: str, page: str | None) -> tuple[LiveChat, str]:
        """Create a new session; returns it with its secret token."""
        token = secrets.token_urlsafe(24)  # 192 bits
        state = ChatState.BOT if self.is_open() else ChatState.CLOSED
        while True:
            sid = new_session_id()
            if sid not in self.live and await self.svc.store.session(sid) is None:
                break
        s = await self.svc.store.create_session(sid, token, library, lang, page, state)
        chat = from_session(s)
        self.live.add(chat)
        return chat, token

    async def resume_session(self, token: str) -> LiveChat | None:
        """The chat for a token, or None if unknown or expired.

        An ended chat resumes too (until its token expires), read-only but for the rating.
        """
        s = await self.svc.store.session_by_token(token)
        if s is None:
            return None
        ttl = timedelta(hours=self.svc.config.limits.session_ttl_hours)
        if parse_ts(s.last_seen_at) + ttl < self.clock.now():
            return None
        if s.state is ChatState.ENDED:
            return from_session(s)
        chat = self.live.get(s.id)
        if chat is None:
            chat = from_session(s)
            chat.tags = await self.svc.store.tags(s.id)
            self.live.add(chat)
        await self.svc.store.update_session(s.id, last_seen_at=self.clock.stamp())
        return chat

    async def history_frames(self, session_id: str) -> list[dict[str, Any]]:
        return [message_frame(m) for m in await self.svc.store.history(session_id) if m.sender != "note"]

    async def on_presence_event(self, event: Event) -> None:
        """Who is there, as another bridge saw it (lines and chats: `ChatSync`)."""
        match event:
            case PatronEvent(session_id) if self.svc.presence.shared:
                chat = self.live.get(session_id)
                if chat is not None:
                    self._patron_as_seen(chat, await self.svc.presence.patron(session_id))
            case SeatEvent(seat) if self.svc.presence.shared:
                stored = await self.svc.presence.seat_of(seat)
                if stored is not None:
                    self._seat_seen(JID(seat), stored.available, stored.show, stored.lang)

    # patron actions

    async def patron_message(self, chat: LiveChat, msg_id: str, text: str) -> tuple[ChatMessage, bool]:
        """Store a patron's line (the caller acks it) and move the chat on."""
        async with self.live.lock(chat.id):
            m, new = await self.svc.store.add_message(chat.id, msg_id, "patron", text, touch=True)
            if not new:
                return m, False
            await self.sync.line_written(m)  # not shown to the patron's sockets: their cursors move on
            if chat.first_line is None:
                chat.first_line = text
        self.spawn(self._after_patron_message(chat, m))
        return m, True

    async def _after_patron_message(self, chat: LiveChat, m: ChatMessage) -> None:
        async with self.live.lock(chat.id):
            if chat.state is ChatState.BOT:
                match = await self._faq_match(chat, m.text)
                if match is not None and match.confident and match.entry is not None:
                    await self._bot_answer(chat, match.entry, "bot_answer", {"score": round(match.score, 3)})
                    return
                await self.queue(chat)
                if match is not None and match.suggestions:
                    await self._suggest(chat, match.suggestions)
                return
            if chat.state is ChatState.ACTIVE and chat.owner:
                self.notices.line(chat, chat.owner, m)
            elif chat.state in WAITING:
                if chat.queued_at is None and self.is_open():
                    await self.queue(chat)
                    return
                for seat in sorted(chat.offered):
                    self.notices.line(chat, seat, m)

    async def _faq_match(self, chat: LiveChat, text: str) -> Any:
        """The FAQ's match for a patron's question, computed off the event loop; None: no FAQ."""
        faq = self.svc.faq
        if faq is None:
            return None
        if hasattr(faq, "match_async"):
            return await faq.match_async(text, chat.lang)
        return faq.match(text, chat.lang)

    async def _bot_answer(self, chat: LiveChat, entry: Any, event: str, data: dict[str, Any]) -> None:
        """Send an FAQ entry's answer as the bot (lock held), and show it to the desks offered."""
        answer = self.svc.faq.render(entry, chat.lang, self.roster_facts(chat))
        bot_id = f"b-{secrets.token_hex(6)}"
        m, _ = await self.svc.store.add_message(chat.id, bot_id, "bot", answer, name="Tiski")
        await self.svc.store.add_event(chat.id, event, data={"faq": entry.id, **data})
        if getattr(entry, "tag", None) and entry.tag not in chat.tags:
            await self.svc.store.add_tags(chat.id, [entry.tag], None)
            chat.tags.append(entry.tag)
        await self.sync.line_written(m, {"faq": entry.id})
        for seat in sorted({chat.owner} if chat.owner else chat.offered):
            self.notices.line(chat, seat, m)

    async def _suggest(self, chat: LiveChat, entries: Any) -> None:
        """Likely but not certain answers: offered as buttons while the chat waits for a human."""
        options = [{"faq": e.id, "label": e.label(chat.lang)} for e in entries]
        chat.suggested.update(o["faq"] for o in options)
        await self.svc.store.add_event(chat.id, "bot_suggest", data={"faq": [o["faq"] for o in options]})
        await self.send_patron(chat.id, {"type": "suggestions", "options": options})

    async def pick(self, chat: LiveChat, entry_id: str) -> bool:
        """The patron picked a suggested answer: the bot sends it; False if it was not suggested."""
        async with self.live.lock(chat.id):
            entry = self.svc.faq.get(entry_id) if self.svc.faq is not None else None
            if entry is not None and entry_id not in chat.suggested:
                chat.suggested |= await self._stored_suggestions(chat)  # offered before a restart
            if entry is None or entry_id not in chat.suggested or chat.state is ChatState.ENDED:
                return False
            chat.suggested.discard(entry_id)
            await self._bot_answer(chat, entry, "bot_pick", {})
            return True

    async def _stored_suggestions(self, chat: LiveChat) -> set[str]:
        """Entries offered in this chat and not yet picked, from its stored events."""
        offered: set[str] = set()
        for _, kind, _, data in await self.svc.store.events(chat.id):
            if kind in ("bot_suggest", "bot_pick") and data:
                ids = json.loads(data).get("faq")
                if kind == "bot_suggest":
                    offered.update(ids or ())
                else:
                    offered.discard(ids)
        return offered

    async def handoff(self, chat: LiveChat) -> None:
        """The patron asks for a librarian."""
        async with self.live.lock(chat.id):
            if chat.state is ChatState.BOT:
                await self.queue(chat)
            else:
                await self.tell_state(chat)

    async def patron_typing(self, chat: LiveChat, state: str) -> None:
        self.notices.chatstate(chat, state)

    async def patron_end(self, chat: LiveChat) -> None:
        async with self.live.lock(chat.id):
            if chat.id not in self.live:
                return
            left = PatronLeft(chat.state.value, self.clock.now(), ended_by_patron=True)
            if is_interrupted(left, left.at):
                await self.auto_tag(chat, "interrupted")
            await self.end_chat(chat, seat=None, by="patron")

    async def leave_message(self, chat: LiveChat, text: str, contact: str | None) -> None:
        async with self.live.lock(chat.id):
            await self.transitions.leave_message(chat, text, contact)
            m, _ = await self.svc.store.add_message(
                chat.id, f"s-{secrets.token_hex(6)}", "system", "message_saved", name="Tiski"
            )
            await self.sync.line_written(m)
            await self.tell_state(chat)

    # routing

    async def queue(self, chat: LiveChat) -> None:
        """Put a chat in the queue and offer it (lock held)."""
        await self.transitions.queue(chat, open_now=self.is_open())
        if chat.state is ChatState.QUEUED:
            await self.router.offer(chat)
        await self.tell_state(chat)

    def notify(
        self,
        chat: LiveChat,
        seats: Any,
        kind: str,
        body: Text,
        extra: dict[str, str | None] | None = None,
    ) -> None:
        """A notice about a chat to seats (taken, ended, info …), in each seat's language."""
        self.notices.notify(chat, seats, kind, body, extra)

    async def reoffer_waiting(self) -> None:
        """Offer waiting chats to seats that became available; re-route stranded ones."""
        if self.is_open():
            await self.router.reoffer_waiting()

    async def auto_tag(self, chat: LiveChat, rule: str) -> None:
        tag = self.svc.tagset.auto_tag(rule)
        if tag is None or tag.id in chat.tags:
            return
        await self.svc.store.add_tags(chat.id, [tag.id], None)
        chat.tags.append(tag.id)

    async def end_chat(self, chat: LiveChat, seat: str | None, by: str, reason: str | None = None) -> None:
        """End a chat (lock held) and tell everyone who knew of it (all seats of the owner's desk)."""
        told = ({chat.owner} | self.colleagues(chat.owner)) if chat.owner else set(chat.offered)
        if not await self.transitions.end(chat, seat, by, reason):
            await self.sync.reread(chat)  # with several bridges: it may have ended elsewhere
            return
        body: Text
        if reason == "patron_left" and not chat.owner:
            body, kind = said("withdrawn", nick=chat.nickname), Kind.WITHDRAWN
        elif reason == "patron_left":
            body, kind = said("ended.interrupted", nick=chat.nickname), Kind.ENDED
        elif by == "patron":
            body, kind = said("ended.by_patron"), Kind.ENDED
        else:
            body = said("ended.by_seat", seat=seat) if seat else said("ended.by_bridge")
            kind = Kind.ENDED
        self.notices.notify(chat, sorted(s for s in told if s), kind, body, {"by": by})
        self.notices.chat_over(chat.id)
        await self.tell_state(chat)

    # desk presence and lines

    async def on_presence(self, seat: JID, available: bool, show: str, lang: str = "") -> None:
        """A seat's presence reached this bridge (with several bridges, ejabberd gives a desk's
        presence to one of them: it tells the others through the store)."""
        desk = self._seat_seen(seat, available, show, lang)
        if not desk:
            return
        if self.svc.presence.shared:
            await self._tell_presence(self.svc.presence.seat(seat.full, available, show, lang))
        if not available:
            owned = [c for c in self.live if c.owner == seat.full]
            if owned:
                self.spawn(self._release_later(seat.full, owned), timer=True)

    def _seat_seen(self, seat: JID, available: bool, show: str, lang: str) -> bool:
        """Note a seat's presence; waiting chats are offered again if the seats changed (by one
        bridge: the one that runs the rollovers). False if the seat is not a desk's."""
        desk = self.roster.library_of_desk(seat.bare) is not None
        if available and (desk or seat.bare in self.roster.coordinators):
            self.seats.set_lang(seat, lang)
        if not desk:
            return False
        if self.seats.update(seat, available, show) and (
            not self.svc.presence.shared or self.holds("rollover")
        ):
            self.spawn(self.reoffer_waiting())
        return True

    def on_disconnected(self) -> None:
        """The component lost the server: presence is unknown until the probes are answered."""
        self.seats.seats.clear()

    async def _release_later(self, seat: str, chats: list[LiveChat]) -> None:
        """A seat that went offline owning chats gives them back to its desk after a grace period."""
        await asyncio.sleep(self.svc.config.release_grace_seconds)
        if self.seats.is_online(seat):
            return
        for chat in chats:
            async with self.live.lock(chat.id):
                if chat.owner != seat or chat.state is not ChatState.ACTIVE or chat.id not in self.live:
                    continue
                back_to = self.roster.library_of_desk(JID(seat).bare)
                if not await self.transitions.release(chat, seat, back_to):
                    await self.sync.reread(chat)
                    continue
                chat.offered, chat.step = set(), 0
                self.notices.notify(
                    chat,
                    [
                        s
                        for d in self.roster.desks_of(chat.target or "")
                        for s in self.seats.offerable_seats(d)
                    ],
                    Kind.RELEASED,
                    said("released", nick=chat.nickname, seat=seat),
                )
                await self.router.offer(chat, from_name=said("offer.released_from", seat=seat))
                await self.tell_state(chat)

    async def on_desk_chatstate(self, seat: JID, session_id: str, state: str) -> None:
        chat = self.live.get(session_id)
        if chat is not None and chat.owner == seat.full and state in ("composing", "paused"):
            try:
                await self.bus.publish(TypingEvent(session_id, state))
            except StoreError:
                log.debug("typing not passed on: the bus is reconnecting")

    async def deliver_librarian_line(self, chat: LiveChat, seat: str, text: str, line_id: str) -> bool:
        """Store a librarian's line and pass it to the patron (lock held); False if a repeat.

        `line_id` is the id the seat gave the line: a line sent again with the same id is stored
        once. The seat is told `delivered` once the patron's browser has it.
        """
        m, new = await self.svc.store.add_message(
            chat.id, f"l-{line_id}", "librarian", text, name=self.desk_name(seat), seat=seat
        )
        if new:
            await self.sync.line_written(m)
        return new

    # timers

    def start_housekeeping(self) -> None:
        self._housekeeping = self.spawn(self.housekeeping(), timer=True)

    async def housekeeping(self, every: float = 1.0) -> None:
        """Periodic work: time-outs, rollovers, abandoned chats, queue places, edited files."""
        while True:
            await asyncio.sleep(every)
            try:
                await self.tick()
            except Exception:
                raise_if_cancelling()
                log.exception("housekeeping failed")

    async def tick(self) -> None:
        """One round of the periodic work (the service-wide part on the bridge with its lease)."""
        held = await self.svc.leases.hold(SERVICE_TIMERS)
        if "queue_timeout" in held:
            await self._queue_timeouts()
        if "rollover" in held and self.is_open():
            await self.router.rollovers()
        if "expiry" in held:
            await self.expire_gone()
        await self.tell_positions()
        if self.desks is not None:
            self.desks.resend_unconfirmed(self.svc.config.receipt_resend_seconds)
        self.files.reload(self.svc)
        self.rounds += 1

    def holds(self, timer: str) -> bool:
        """This bridge runs the service-wide `timer` now (its lease was held in the last round)."""
        return self.svc.leases.holds(timer)

    async def _queue_timeouts(self) -> None:
        """A chat queued too long during open hours is offered `leave_message` (state closed).

        It stays offered: a desk that answers still takes it.
        """
        limit = timedelta(seconds=self.svc.config.limits.queue_timeout_seconds)
        now = self.clock.now()
        for chat in self.live:
            if chat.state is ChatState.QUEUED and chat.queued_at and parse_ts(chat.queued_at) + limit <= now:
                async with self.live.lock(chat.id):
                    if chat.state is not ChatState.QUEUED:
                        continue
                    if await self.transitions.close_for_timeout(chat):
                        await self.tell_state(chat)
                    else:
                        await self.sync.reread(chat)

    def stale(self, chat: LiveChat) -> bool:
        """Its patron has been gone longer than the grace (and its owner does not keep it)."""
        grace = timedelta(seconds=self.svc.config.interrupted_grace_seconds)
        return chat.gone_since is not None and not chat.kept and chat.gone_since + grace <= self.clock.now()

    async def expire_gone(self) -> int:
        """End the chats whose patrons have gone for good; how many."""
        shared = self.svc.presence.shared
        if shared:
            await self._sweep_dead_bridges()
        ended = 0
        for chat in self.live:
            if self.stale(chat):
                if shared and not self._patron_as_seen(chat, await self.svc.presence.patron(chat.id)):
                    if not self.stale(chat):
                        continue  # back, or gone for less time than this bridge thought
                ended += await self.expire(chat)
        return ended

    async def _sweep_dead_bridges(self) -> None:
        """Patrons whose sockets were all on bridges that died are gone (from when their beat
        ran out): their owners are told, as when a socket closes."""
        present = [c.id for c in self.live if c.gone_since is None and c.id not in self.patrons]
        for sid in await self.svc.presence.orphaned(present):
            chat = self.live.get(sid)
            if chat is None or chat.state is ChatState.ENDED:
                continue
            if self._patron_as_seen(chat, await self.svc.presence.patron(sid)):
                self._tell_owner_left(chat)

    async def expire(self, chat: LiveChat, *, by: str = "bridge", seat: str | None = None) -> int:
        """End one chat whose patron has gone, tagged `interrupted` if someone was involved."""
        async with self.live.lock(chat.id):
            if chat.id not in self.live or chat.gone_since is None:
                return 0
            left = PatronLeft(chat.state.value, chat.gone_since)
            if is_interrupted(left, left.at, grace=timedelta(0)):
                await self.auto_tag(chat, "interrupted")
            await self.end_chat(chat, seat, by=by, reason="patron_left")
            return 1

    async def stop(self, drain_seconds: float = 5.0) -> None:
        """Let in-flight work finish (up to `drain_seconds`), then cancel what is left.

        Waiting timers (rollover, release, expiry) are cancelled at once: their state is in the
        store and they start again with the bridge.
        """
        if self._housekeeping is not None:
            self._housekeeping.cancel()
        busy = [t for t in self._tasks if not getattr(t, "timer", False)]
        if busy:
            await asyncio.wait(busy, timeout=drain_seconds)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
