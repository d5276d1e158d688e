"""This bridge in step with the others: lines to its sockets by cursor, its live view by row.

On one bridge (SQLite, `LocalBus`) every event is this bridge's own and arrives as it is
written. With several bridges sharing PostgreSQL the live view is a cache: a `chat` event, a
desk refused by a lagging view, or a write whose precondition failed makes it take the row's
values (through `Transitions.refresh`, still the only writer of a chat's life), and the
patron on this bridge is told. docs/cluster.md says why.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bridge.chat import ChatState, LiveChat
from bridge.chats.live import LiveChats, from_session
from bridge.chats.notices import DeskNotices
from bridge.chats.patrons import PatronLink, PatronLinks, message_frame
from bridge.chats.transitions import Transitions
from bridge.cluster.bus import Bus
from bridge.cluster.events import ChatEvent, Event, LineEvent, TypingEvent
from bridge.desklang import said
from bridge.storage import ChatMessage, ChatSession, ChatStorage
from deskproto import Kind

LAST = 2**62  # a line number after every line: "everything the socket lacks"


class ChatSync:
    """Delivers lines by cursor and keeps the live view in step with the store's rows."""

    def __init__(
        self,
        store: ChatStorage,
        bus: Bus,
        live: LiveChats,
        transitions: Transitions,
        patrons: PatronLinks,
        notices: DeskNotices,
        tell_state: Callable[[LiveChat], Awaitable[None]],
    ) -> None:
        self.store, self.bus, self.live = store, bus, live
        self.transitions, self.patrons, self.notices = transitions, patrons, notices
        self.tell_state = tell_state
        bus.subscribe(self.on_bus, self.catch_up)

    async def welcome_history(self, session_id: str, link: PatronLink) -> list[dict[str, Any]]:
        """The history for a socket's `welcome`; its cursor is set to the last line in it.

        Call with `patrons.delivery(session_id)` held until the welcome is sent: a line written
        meanwhile then goes out after the welcome, and a line in the history never again.
        """
        lines = await self.store.history(session_id)
        link.cursor = lines[-1].line if lines else 0
        return [message_frame(m) for m in lines if m.sender != "note"]

    async def line_written(self, m: ChatMessage, extra: dict[str, Any] | None = None) -> None:
        """A line was committed here: it goes to the chat's sockets (on every bridge)."""
        await self.bus.committed(LineEvent(m.session_id, m.line, m, extra))

    # the bus

    async def on_bus(self, event: Event) -> None:
        """An event from this bridge or another one."""
        match event:
            case LineEvent():
                await self.deliver_line(event)
            case TypingEvent(session_id, state):
                await self.patrons.send(session_id, {"type": "typing", "state": state})
            case ChatEvent(session_id) if self.bus.shared:
                await self.refresh(session_id)

    async def deliver_line(self, event: LineEvent) -> int:
        """Send the chat's sockets here what they lack up to the event's line; how many lines."""
        sid = event.session_id
        if sid not in self.patrons:
            return 0
        async with self.patrons.delivery(sid):
            behind = self.patrons.behind(sid, event.line_no)
            if not behind:
                return 0
            m = event.message
            if m is not None and (not self.bus.shared or all(link.cursor == m.line - 1 for link in behind)):
                lines = [m]  # written here, and the sockets have every line before it
            else:
                since = min(link.cursor or 0 for link in behind)
                lines = await self.store.history(sid, after=since)
            extra = {event.message.msg_id: event.extra} if event.message and event.extra else None
            sent = await self.patrons.deliver(behind, lines, extra)
        chat = self.live.get(sid)
        for line in sent:
            if chat is not None and line.sender == "librarian" and line.seat:
                self.notices.delivered(chat, line.seat, line.msg_id.removeprefix("l-"))
        return len(sent)

    async def catch_up(self) -> None:
        """After a gap on the bus: the cache from the store, every socket from its cursor."""
        live = {s.id for s in await self.store.live_sessions()}
        for sid in sorted(live | {c.id for c in self.live}):
            await self.refresh(sid)
        for sid in list(self.patrons.links):
            await self.deliver_line(LineEvent(sid, LAST))

    async def refresh(self, session_id: str) -> None:
        """Another bridge changed a chat: the live view takes the row's values; the patron is told."""
        async with self.live.lock(session_id):
            s = await self.store.session(session_id)
            if s is None:
                return
            chat = self.live.get(session_id)
            if chat is None:
                if s.state is not ChatState.ENDED:
                    chat = from_session(s)
                    chat.tags = await self.store.tags(s.id)
                    self.live.add(chat)
                return
            if self._take_row(chat, s):
                await self.tell_state(chat)

    async def reread(self, chat: LiveChat) -> bool:
        """With several bridges (lock held): the row may be ahead of the live view (a desk
        refused, a write whose precondition failed). True if it was: the live view has caught
        up and the patron is told."""
        if not self.bus.shared:
            return False
        s = await self.store.session(chat.id)
        if s is None or not self._take_row(chat, s):
            return False
        await self.tell_state(chat)
        return True

    def _take_row(self, chat: LiveChat, row: ChatSession) -> bool:
        """The live view takes the row's values (lock held); True if they differed."""
        was_owner = chat.owner
        if not self.transitions.refresh(chat, row):
            return False
        if chat.owner != was_owner:  # taken on another bridge: the seats offered it here learn so
            others = sorted(seat for seat in chat.offered if seat != chat.owner)
            if chat.owner and others:
                taken = said("taken", nick=chat.nickname, seat=chat.owner)
                self.notices.notify(chat, others, Kind.TAKEN, taken)
            chat.offered = {chat.owner} if chat.owner else set()
        if chat.state is ChatState.ENDED:
            self.notices.chat_over(chat.id)
        return True

    async def lookup(self, session_id: str) -> LiveChat | None:
        """A live chat by id; with several bridges, one begun or moved elsewhere is read first."""
        chat = self.live.get(session_id)
        if chat is None and self.bus.shared:
            await self.refresh(session_id)
            chat = self.live.get(session_id)
        return chat
