"""The chat service: patrons on one side, desks on the other, the store and the rota between.

Every change is written to the store before anyone is told about it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from slixmpp import JID

from bridge.capacity import Capacity, Room
from bridge.chat import WAITING, ChatState, LiveChat
from bridge.clock import Clock, parse_ts
from bridge.config import BridgeConfig
from bridge.desktext import offer_body
from bridge.presence import SeatBook
from bridge.reload import FileWatch
from bridge.store import ChatMessage, ChatSession, Store
from rota import Roster
from rota.decide import hours_text, next_opening, route
from rota.text import when_text
from tags import TagSet
from tags.rules import WAITING_STATES, PatronLeft, interrupted_check_at, is_interrupted

log = logging.getLogger(__name__)

SESSION_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class PatronLink(Protocol):
    """One live patron connection (a WebSocket)."""

    async def send(self, frame: dict[str, Any]) -> None: ...


class DeskSender(Protocol):
    """How the service reaches desks (the XMPP component)."""

    def send_to_desk(
        self,
        seat: str,
        session_id: str,
        body: str,
        chat: dict[str, str | None],
        *,
        nick: str | None = None,
        chatstate: str | None = None,
        msg_id: str | None = None,
    ) -> None: ...
    def resend_unconfirmed(self, older_than: float = 5.0) -> int: ...
    def send_chatstate(self, seat: str, session_id: str, state: str) -> None: ...
    def ask_desks(self, desks: Any) -> None: ...


def raise_if_cancelling() -> None:
    """Re-raise a cancellation that library code turned into an ordinary exception.

    A loop that logs and goes on after `except Exception` would otherwise outlive its stop.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def new_session_id() -> str:
    return "p-" + "".join(secrets.choice(SESSION_ALPHABET) for _ in range(10))


def message_frame(m: ChatMessage) -> dict[str, Any]:
    """A stored line as the widget protocol's `message` object."""
    return {
        "type": "message",
        "id": m.msg_id,
        "from": m.sender,
        "name": m.name or "",
        "text": m.text,
        "ts": m.ts,
    }


@dataclass
class Services:
    """The pieces the chat service uses, passed in by the app."""

    config: BridgeConfig
    store: Store
    roster: Roster
    tagset: TagSet
    clock: Clock
    faq: Any = None
    canned: tuple[Any, ...] = ()


@dataclass
class ChatService:
    """Routes chats between patron links and desk seats."""

    svc: Services
    desks: DeskSender | None = None
    seats: SeatBook = field(default_factory=SeatBook)
    chats: dict[str, LiveChat] = field(default_factory=dict)
    links: dict[str, set[PatronLink]] = field(default_factory=lambda: defaultdict(set))
    _locks: dict[str, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    files: FileWatch = field(default_factory=FileWatch)
    _housekeeping: asyncio.Task[Any] | None = None
    capacity: Capacity = field(default_factory=Capacity)

    # start-up

    async def load(self) -> None:
        """Rebuild the live view from the store after a start or a crash."""
        for s in await self.svc.store.live_sessions():
            chat = self._live(s)
            chat.tags = await self.svc.store.tags(s.id)
            chat.first_line = await self.svc.store.first_patron_line(s.id)
            self.chats[s.id] = chat
        log.info("loaded %d live chats", len(self.chats))

    @staticmethod
    def _live(s: ChatSession) -> LiveChat:
        return LiveChat(
            id=s.id,
            library=s.library,
            lang=s.lang,
            page=s.page,
            state=s.state,
            target=s.target,
            owner=s.owner,
            created_at=s.created_at,
            queued_at=s.queued_at,
            answered_at=s.answered_at,
        )

    async def on_connected(self) -> None:
        """The component is (re)connected: ask every desk of the roster for its presence."""
        if self.desks is not None:
            self.desks.ask_desks(sorted({d for lib in self.svc.roster.libraries.values() for d in lib.desks}))

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

    @property
    def roster(self) -> Roster:
        return self.svc.roster

    def is_open(self) -> bool:
        return route(self.roster, self.svc.clock.now(), ()).open

    def welcome_facts(self, lang: str) -> dict[str, Any]:
        now = self.svc.clock.now()
        opening = next_opening(self.roster, now)
        return {
            "open": route(self.roster, now, ()).open,
            "hours": hours_text(self.roster, lang),
            "next_opening": opening.isoformat() if opening else None,
        }

    def roster_facts(self, chat: LiveChat) -> dict[str, str]:
        """Facts of the roster for automatic answers: open now, hours, next opening, contacts."""
        now = self.svc.clock.now()
        opening = next_opening(self.roster, now)
        lib = self.roster.libraries.get(chat.library)
        return {
            "open": "yes" if route(self.roster, now, ()).open else "no",
            "hours": hours_text(self.roster, chat.lang),
            "next_opening": when_text(opening.astimezone(self.roster.timezone), chat.lang) if opening else "",
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

    # patron links

    async def send_patron(self, session_id: str, frame: dict[str, Any]) -> None:
        for link in list(self.links.get(session_id, ())):
            try:
                await link.send(frame)
            except Exception:  # a closing socket must not stop the others
                log.debug("dropping frame for a closed link of %s", session_id)

    def attach(self, session_id: str, link: PatronLink) -> None:
        self.links[session_id].add(link)
        chat = self.chats.get(session_id)
        if chat is not None:
            chat.returned_at = self.svc.clock.now()

    def detach(self, session_id: str, link: PatronLink) -> None:
        links = self.links.get(session_id)
        if links is not None:
            links.discard(link)
            if not links:
                del self.links[session_id]
                chat = self.chats.get(session_id)
                if chat is not None and chat.state.value in WAITING_STATES:
                    left = PatronLeft(chat.state.value, self.svc.clock.now())
                    self.spawn(self._watch_departure(chat, left), timer=True)

    async def _watch_departure(self, chat: LiveChat, left: PatronLeft) -> None:
        """Tag a chat `interrupted` if its patron does not come back within the grace period."""
        grace = timedelta(seconds=self.svc.config.interrupted_grace_seconds)
        check_at = interrupted_check_at(left, grace=grace)
        if check_at is None:
            return
        await asyncio.sleep(max(0.0, (check_at - self.svc.clock.now()).total_seconds()))
        returned = chat.returned_at if chat.id in self.links else None
        if is_interrupted(
            left, self.svc.clock.now(), grace=grace, returned_at=returned, ended_at=chat.ended_at
        ):
            await self._auto_tag(chat, "interrupted")

    async def _auto_tag(self, chat: LiveChat, rule: str) -> None:
        tag = self.svc.tagset.auto_tag(rule)
        if tag is None or tag.id in chat.tags:
            return
        await self.svc.store.add_tags(chat.id, [tag.id], None)
        chat.tags.append(tag.id)
        if chat.state is not ChatState.ENDED:
            seats = [chat.owner] if chat.owner else sorted(chat.offered)
            self.notify(
                chat, seats, "tagged", f"{chat.nickname} left the chat; tagged {tag.id!r} automatically."
            )

    async def state_frame(self, chat: LiveChat) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "state", "state": chat.state.value}
        if chat.state in WAITING and chat.queued_at:
            frame["position"] = chat.told_position = self.position(chat)
        if chat.owner:
            frame["desk"] = self.desk_name(chat.owner)
        return frame

    async def tell_state(self, chat: LiveChat) -> None:
        await self.send_patron(chat.id, await self.state_frame(chat))

    def positions(self) -> dict[str, int]:
        """Every waiting chat's 1-based place in its target's queue, in one pass."""
        queues: dict[str | None, list[LiveChat]] = defaultdict(list)
        for chat in self.chats.values():
            if chat.waiting:
                queues[chat.target].append(chat)
        places: dict[str, int] = {}
        for queue in queues.values():
            queue.sort(key=lambda c: c.queued_at or "")
            places.update((c.id, i) for i, c in enumerate(queue, 1))
        return places

    async def tell_positions(self) -> None:
        """Queue positions move when a chat is taken: tell the patrons whose place changed."""
        for chat_id, place in self.positions().items():
            chat = self.chats[chat_id]
            if chat.told_position != place and chat_id in self.links:
                await self.tell_state(chat)

    def position(self, chat: LiveChat) -> int:
        """1-based place among chats waiting for the same target."""
        ahead = [
            c
            for c in self.chats.values()
            if c.waiting and c.target == chat.target and (c.queued_at or "") < (chat.queued_at or "")
        ]
        return len(ahead) + 1

    # sessions

    async def start_session(self, library: str, lang: str, page: str | None) -> tuple[LiveChat, str]:
        """Create a new session; returns it with its secret token."""
        token = secrets.token_urlsafe(24)  # 192 bits
        state = ChatState.BOT if self.is_open() else ChatState.CLOSED
        while True:
            sid = new_session_id()
            if sid not in self.chats and await self.svc.store.session(sid) is None:
                break
        s = await self.svc.store.create_session(sid, token, library, lang, page, state)
        chat = self._live(s)
        self.chats[sid] = chat
        return chat, token

    async def resume_session(self, token: str) -> LiveChat | None:
        """The chat for a token, or None if unknown or expired.

        An ended chat resumes too (until its token expires), read-only but for the rating.
        """
        s = await self.svc.store.session_by_token(token)
        if s is None:
            return None
        ttl = timedelta(hours=self.svc.config.limits.session_ttl_hours)
        if parse_ts(s.last_seen_at) + ttl < self.svc.clock.now():
            return None
        if s.state is ChatState.ENDED:
            return self._live(s)
        chat = self.chats.get(s.id)
        if chat is None:
            chat = self._live(s)
            chat.tags = await self.svc.store.tags(s.id)
            self.chats[s.id] = chat
        await self.svc.store.update_session(s.id, last_seen_at=self.svc.clock.stamp())
        return chat

    async def history_frames(self, session_id: str) -> list[dict[str, Any]]:
        return [message_frame(m) for m in await self.svc.store.history(session_id) if m.sender != "note"]

    # patron actions

    async def patron_message(self, chat: LiveChat, msg_id: str, text: str) -> tuple[ChatMessage, bool]:
        """Store a patron's line (the caller acks it) and move the chat on."""
        async with self._locks[chat.id]:
            m, new = await self.svc.store.add_message(chat.id, msg_id, "patron", text, touch=True)
            if not new:
                return m, False
            if chat.first_line is None:
                chat.first_line = text
        self.spawn(self._after_patron_message(chat, m))
        return m, True

    async def _after_patron_message(self, chat: LiveChat, m: ChatMessage) -> None:
        async with self._locks[chat.id]:
            if chat.state is ChatState.BOT:
                if await self._answer_from_faq(chat, m.text):
                    return
                await self._queue(chat)
                return
            if chat.state is ChatState.ACTIVE and chat.owner:
                self._line_to_desk(chat, chat.owner, m)
            elif chat.state in WAITING:
                if chat.queued_at is None and self.is_open():
                    await self._queue(chat)
                    return
                for seat in chat.offered:
                    self._line_to_desk(chat, seat, m)

    async def _answer_from_faq(self, chat: LiveChat, text: str) -> bool:
        """Answer from the FAQ when confident; True if it did."""
        faq = self.svc.faq
        if faq is None:
            return False
        match = faq.match(text, chat.lang)
        if not match.confident or match.entry is None:
            return False
        answer = faq.render(match.entry, chat.lang, self.roster_facts(chat))
        bot_id = f"b-{secrets.token_hex(6)}"
        m, _ = await self.svc.store.add_message(chat.id, bot_id, "bot", answer, name="Tiski")
        await self.svc.store.add_event(
            chat.id, "bot_answer", data={"faq": match.entry.id, "score": round(match.score, 3)}
        )
        if getattr(match.entry, "tag", None) and match.entry.tag not in chat.tags:
            await self.svc.store.add_tags(chat.id, [match.entry.tag], None)
            chat.tags.append(match.entry.tag)
        frame = message_frame(m)
        frame["faq"] = match.entry.id
        await self.send_patron(chat.id, frame)
        return True

    async def handoff(self, chat: LiveChat) -> None:
        """The patron asks for a librarian."""
        async with self._locks[chat.id]:
            if chat.state is ChatState.BOT:
                await self._queue(chat)
            else:
                await self.tell_state(chat)

    async def patron_typing(self, chat: LiveChat, state: str) -> None:
        seats = [chat.owner] if chat.owner else list(chat.offered)
        for seat in seats:
            if self.desks is not None:
                self.desks.send_chatstate(seat, chat.id, state)

    async def patron_end(self, chat: LiveChat) -> None:
        async with self._locks[chat.id]:
            left = PatronLeft(chat.state.value, self.svc.clock.now(), ended_by_patron=True)
            if is_interrupted(left, left.at):
                await self._auto_tag(chat, "interrupted")
            await self._end(chat, seat=None, by="patron")

    async def leave_message(self, chat: LiveChat, text: str, contact: str | None) -> None:
        async with self._locks[chat.id]:
            await self.svc.store.leave_message(chat.id, text, contact)
            if chat.state is not ChatState.CLOSED:
                await self.svc.store.set_state(chat.id, ChatState.CLOSED, "closed")
                chat.state = ChatState.CLOSED
            m, _ = await self.svc.store.add_message(
                chat.id, f"s-{secrets.token_hex(6)}", "system", "message_saved", name="Tiski"
            )
            await self.send_patron(chat.id, message_frame(m))
            await self.tell_state(chat)

    # routing

    async def _queue(self, chat: LiveChat) -> None:
        """Put a chat in the queue and offer it (lock held)."""
        now = self.svc.clock.stamp()
        if self.is_open():
            chat.state, chat.queued_at = ChatState.QUEUED, chat.queued_at or now
        else:
            chat.state = ChatState.CLOSED
        await self.svc.store.set_state(
            chat.id, chat.state, "queued" if chat.queued_at else "closed", queued_at=chat.queued_at
        )
        if chat.state is ChatState.QUEUED:
            await self._offer(chat)
        await self.tell_state(chat)

    async def _offer(self, chat: LiveChat, from_name: str | None = None) -> None:
        """Offer a waiting chat to the seats routing picks now (lock held).

        Routing gives the chain's steps that have someone available; the chat is offered to
        steps up to `chat.step`, which timed rollover advances.
        """
        room = self.capacity.room(self.chats.values())
        available = self.desks_with_room(room)
        if chat.transferred_from is None or chat.target is None:
            decision = route(self.roster, self.svc.clock.now(), available)
            steps = decision.steps[: chat.step + 1]
            target = steps[0].target if steps else (decision.on_duty or chat.target)
            desks: tuple[str, ...] = tuple(d for st in steps for d in st.desks)
        else:
            target = chat.target
            desks = tuple(d for d in self.roster.desks_of(target) if d in available)
        if target != chat.target:
            chat.target = target
            await self.svc.store.update_session(chat.id, target=target)
        seats = [
            s
            for d in desks
            if room.desk_has_room(d)
            for s in self.seats.offerable_seats(d)
            if room.seat_has_room(s)
        ]
        fresh = [s for s in seats if s not in chat.offered]
        if not fresh:
            return
        if not chat.offered:
            chat.offered_at = self.svc.clock.monotonic()
        history = await self.svc.store.history(chat.id)
        body = offer_body(
            chat, self.library_name(chat.library), history, from_name=from_name, position=self.position(chat)
        )
        attrs = self.chat_attrs(chat, "offer")
        attrs["position"] = str(self.position(chat))
        if from_name:
            attrs["from_target"] = chat.transferred_from
        nick = f"{chat.nickname} ({self.library_name(chat.library)})"
        for seat in fresh:
            assert self.desks is not None
            self.desks.send_to_desk(seat, chat.id, body, attrs, nick=nick)
            chat.offered.add(seat)
        await self.svc.store.add_event(
            chat.id, "offered", data={"target": target, "step": chat.step, "seats": fresh}
        )

    def chat_attrs(self, chat: LiveChat, kind: str) -> dict[str, str | None]:
        return {
            "library": chat.library,
            "lang": chat.lang,
            "state": chat.state.value,
            "owner": chat.owner or "",
            "kind": kind,
            "page": chat.page,
            "waiting_since": chat.queued_at,
            "tags": ",".join(chat.tags),
            "target": chat.target,
        }

    def _line_to_desk(self, chat: LiveChat, seat: str, m: ChatMessage) -> None:
        if self.desks is None:
            return
        attrs = self.chat_attrs(chat, "line")
        attrs.update(msg_id=m.msg_id, sender=m.sender, name=m.name or chat.nickname)
        body = m.text if m.sender == "patron" else f"[{m.sender}] {m.text}"
        self.desks.send_to_desk(seat, chat.id, body, attrs, msg_id=f"{chat.id}-{m.seq}")

    def notify(
        self, chat: LiveChat, seats: Any, kind: str, body: str, extra: dict[str, str | None] | None = None
    ) -> None:
        """A notice about a chat to seats (taken, ended, info …)."""
        if self.desks is None:
            return
        attrs = self.chat_attrs(chat, kind)
        attrs.update(extra or {})
        for seat in seats:
            self.desks.send_to_desk(seat, chat.id, body, attrs)

    def desks_with_room(self, room: Room) -> set[str]:
        """Desks with a seat that is available and below its capacity."""
        return {
            d
            for d in self.seats.available_desks()
            if room.desk_has_room(d) and any(room.seat_has_room(s) for s in self.seats.offerable_seats(d))
        }

    async def reoffer_waiting(self) -> None:
        """Offer waiting chats to seats that became available; re-route stranded ones."""
        if not self.is_open():
            return
        for chat in sorted(self.chats.values(), key=lambda c: c.queued_at or ""):
            if not chat.waiting:
                continue
            async with self._locks[chat.id]:
                had_offers = bool(chat.offered)
                chat.offered = {s for s in chat.offered if self.seats.is_online(s)}
                if had_offers and not chat.offered:
                    chat.transferred_from = None  # its desks left: the rota decides again
                await self._offer(chat)

    # desk presence and lines

    async def on_presence(self, seat: JID, available: bool, show: str) -> None:
        if self.roster.library_of_desk(seat.bare) is None:
            return
        if self.seats.update(seat, available, show):
            self.spawn(self.reoffer_waiting())
        if not available:
            owned = [c for c in self.chats.values() if c.owner == seat.full]
            if owned:
                self.spawn(self._release_later(seat.full, owned), timer=True)

    def on_disconnected(self) -> None:
        """The component lost the server: presence is unknown until the probes are answered."""
        self.seats.seats.clear()

    async def _release_later(self, seat: str, chats: list[LiveChat]) -> None:
        """A seat that went offline owning chats gives them back to its desk after a grace period."""
        await asyncio.sleep(self.svc.config.release_grace_seconds)
        if self.seats.is_online(seat):
            return
        for chat in chats:
            async with self._locks[chat.id]:
                if chat.owner != seat or chat.state is not ChatState.ACTIVE:
                    continue
                await self.svc.store.set_state(
                    chat.id,
                    ChatState.QUEUED,
                    "released",
                    seat=seat,
                    desk=JID(seat).bare,
                    owner=None,
                    queued_at=self.svc.clock.stamp(),
                )
                chat.state, chat.owner, chat.queued_at = ChatState.QUEUED, None, self.svc.clock.stamp()
                chat.offered, chat.step = set(), 0
                chat.transferred_from = chat.transferred_from or chat.target
                chat.target = self.roster.library_of_desk(JID(seat).bare) or chat.target
                await self._offer(chat, from_name=f"{seat} (went offline)")
                await self.tell_state(chat)

    async def on_desk_chatstate(self, seat: JID, session_id: str, state: str) -> None:
        chat = self.chats.get(session_id)
        if chat is not None and chat.owner == seat.full and state in ("composing", "paused"):
            await self.send_patron(session_id, {"type": "typing", "state": state})

    async def deliver_librarian_line(self, chat: LiveChat, seat: str, text: str, msg_id: str) -> None:
        """Store a librarian's line and pass it to the patron (lock held)."""
        m, new = await self.svc.store.add_message(
            chat.id, msg_id, "librarian", text, name=self.desk_name(seat), seat=seat
        )
        if new:
            await self.send_patron(chat.id, message_frame(m))

    def is_desk(self, seat: JID) -> bool:
        return self.roster.library_of_desk(seat.bare) is not None

    # shared by patron and desk actions

    async def _end(self, chat: LiveChat, seat: str | None, by: str) -> None:
        """End a chat (lock held)."""
        if chat.state is ChatState.ENDED:
            return
        await self.svc.store.set_state(
            chat.id,
            ChatState.ENDED,
            "ended",
            seat=seat,
            desk=JID(seat).bare if seat else None,
            data={"by": by},
            ended_at=self.svc.clock.stamp(),
        )
        chat.state, chat.ended_at = ChatState.ENDED, self.svc.clock.now()
        told = {chat.owner} if chat.owner else set(chat.offered)
        who = "the patron" if by == "patron" else (seat or "the bridge")
        self.notify(chat, sorted(s for s in told if s), "ended", f"The chat was ended by {who}.")
        await self.tell_state(chat)
        self.chats.pop(chat.id, None)

    # housekeeping

    def start_housekeeping(self) -> None:
        self._housekeeping = self.spawn(self.housekeeping(), timer=True)

    async def housekeeping(self, every: float = 1.0) -> None:
        """Periodic work: queue time-outs and picking up edited tag, roster and FAQ files."""
        while True:
            await asyncio.sleep(every)
            try:
                await self._queue_timeouts()
                await self._rollovers()
                if self.desks is not None:
                    self.desks.resend_unconfirmed(self.svc.config.receipt_resend_seconds)
                self.files.reload(self.svc)
            except Exception:
                raise_if_cancelling()
                log.exception("housekeeping failed")

    async def _rollovers(self) -> None:
        """Unclaimed for `rollover_seconds`: remind the seats and offer to the next step too."""
        wait = self.roster.rollover_seconds
        now = self.svc.clock.monotonic()
        if not self.is_open():
            return
        for chat in list(self.chats.values()):
            if not chat.waiting or chat.owner:
                continue
            if chat.offered_at is None or now - chat.offered_at < wait:
                continue
            async with self._locks[chat.id]:
                if chat.owner or not chat.waiting:
                    continue
                chat.offered_at = now
                waited = int(
                    (
                        self.svc.clock.now() - parse_ts(chat.queued_at or self.svc.clock.stamp())
                    ).total_seconds()
                )
                self.notify(
                    chat,
                    sorted(chat.offered),
                    "reminder",
                    f"Still waiting for an answer: {chat.nickname}, {waited} s. Reply or send /accept.",
                    {"position": str(self.position(chat))},
                )
                if chat.transferred_from is None:
                    chat.step += 1
                    await self.svc.store.add_event(chat.id, "rollover", data={"step": chat.step})
                    await self._offer(chat)

    async def _queue_timeouts(self) -> None:
        """A chat queued too long during open hours is offered `leave_message` (state closed).

        It stays offered: a desk that answers still takes it.
        """
        limit = timedelta(seconds=self.svc.config.limits.queue_timeout_seconds)
        now = self.svc.clock.now()
        for chat in list(self.chats.values()):
            if chat.state is ChatState.QUEUED and chat.queued_at and parse_ts(chat.queued_at) + limit <= now:
                async with self._locks[chat.id]:
                    if chat.state is not ChatState.QUEUED:
                        continue
                    await self.svc.store.set_state(
                        chat.id, ChatState.CLOSED, "closed", data={"reason": "queue_timeout"}
                    )
                    chat.state = ChatState.CLOSED
                    await self.tell_state(chat)

    async def stop(self, drain_seconds: float = 5.0) -> None:
        """Let in-flight work finish (up to `drain_seconds`), then cancel what is left.

        Waiting timers (rollover, release, departure checks) are cancelled at once: their
        state is in the store and they start again with the bridge.
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
