"""The only writer of a chat's life: its state, owner, target and the times of each step.

Each transition writes the store first, then the live view, and answers nothing to anybody:
telling patrons and desks is the caller's business. Callers hold the chat's lock
(`LiveChats.lock`). An architecture test checks that no other module assigns these fields.

With several bridges the live view is a cache: a transition that other bridges can race
(accept, the timers' writes, the end) states what it expects of the row, and the store writes
only if the row, under its lock, still holds that. If not, nothing is written and the
transition reports it (`ChatChanged`, or False): the caller brings the live view up to date
from the row (`ChatService.reread`) and tells whom it concerns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from slixmpp import JID

from bridge.chat import ChatState, LiveChat
from bridge.chats.live import LiveChats
from bridge.clock import Clock, parse_ts
from bridge.errors import BridgeError
from bridge.storage import ChatSession


class ChatStore(Protocol):
    """What the transitions need of the store."""

    async def set_state(
        self,
        session_id: str,
        state: ChatState,
        event: str,
        *,
        seat: str | None = None,
        desk: str | None = None,
        data: dict[str, Any] | None = None,
        expect: dict[str, Any] | None = None,
        **fields: Any,
    ) -> bool: ...

    async def update_session(self, session_id: str, **fields: Any) -> None: ...

    async def leave_message(self, session_id: str, text: str, contact: str | None) -> None: ...


class ChatChanged(BridgeError):
    """Another bridge changed the chat first; the live view now shows what it did."""


def _desk(seat: str | None) -> str | None:
    return JID(seat).bare if seat else None


class Transitions:
    """Moves chats from state to state (lock held by the caller)."""

    def __init__(self, store: ChatStore, clock: Clock, chats: LiveChats) -> None:
        self.store = store
        self.clock = clock
        self.chats = chats

    async def queue(self, chat: LiveChat, *, open_now: bool) -> None:
        """Wait for a librarian (open now) or for the patron's message (closed)."""
        queued_at: str | None = chat.queued_at
        state = ChatState.QUEUED if open_now else ChatState.CLOSED
        if open_now and queued_at is None:
            queued_at = self.clock.stamp()
        await self.store.set_state(chat.id, state, "queued" if queued_at else "closed", queued_at=queued_at)
        chat.state, chat.queued_at = state, queued_at
        self.chats.queue_changed()

    async def close_for_timeout(self, chat: LiveChat) -> bool:
        """Queued too long: the patron may leave a message; a desk that answers still takes it.

        False if the chat was no longer waiting since then (another bridge moved it).
        """
        expect = {"state": ChatState.QUEUED, "queued_at": chat.queued_at}
        if not await self.store.set_state(
            chat.id, ChatState.CLOSED, "closed", data={"reason": "queue_timeout"}, expect=expect
        ):
            return False
        chat.state = ChatState.CLOSED
        return True

    async def leave_message(self, chat: LiveChat, text: str, contact: str | None) -> None:
        await self.store.leave_message(chat.id, text, contact)
        if chat.state is not ChatState.CLOSED:
            await self.store.set_state(chat.id, ChatState.CLOSED, "closed")
            chat.state = ChatState.CLOSED

    async def route_to(self, chat: LiveChat, target: str | None) -> None:
        """Routing picked another target (library or pool) for a waiting chat."""
        if target != chat.target:
            await self.store.update_session(chat.id, target=target)
            chat.target = target
            self.chats.queue_changed()

    def back_to_the_rota(self, chat: LiveChat) -> None:
        """A transferred chat whose target's desks all left: the rota decides again."""
        chat.transferred_from = None

    async def accept(self, chat: LiveChat, seat: str) -> str | None:
        """`seat` has the chat now (first answer, or a colleague taking over); the old owner."""
        previous = chat.owner
        fields: dict[str, Any] = {"owner": seat}
        answered = chat.answered_at or self.clock.stamp()
        if chat.answered_at is None:
            fields["answered_at"] = answered
        event = "taken_over" if previous else "accepted"
        data: dict[str, Any] = {"target": chat.target}
        if previous:
            data["from"] = previous
        if not await self.store.set_state(
            chat.id,
            ChatState.ACTIVE,
            event,
            seat=seat,
            desk=_desk(seat),
            data=data,
            expect={"owner": previous, "ended_at": None},
            **fields,
        ):
            raise ChatChanged(chat.id)
        chat.state, chat.owner, chat.answered_at = ChatState.ACTIVE, seat, answered
        chat.kept = False
        self.chats.owner_changed(previous, seat)
        self.chats.queue_changed()
        return previous

    async def release(self, chat: LiveChat, seat: str, back_to: str | None) -> bool:
        """The owner went offline: the chat waits again for its desk, keeping its place.

        False if `seat` no longer had it (another bridge moved it meanwhile).
        """
        queued_at = chat.queued_at or self.clock.stamp()
        if not await self.store.set_state(
            chat.id,
            ChatState.QUEUED,
            "released",
            seat=seat,
            desk=_desk(seat),
            expect={"owner": seat, "ended_at": None},
            owner=None,
            queued_at=queued_at,
        ):
            return False
        self.chats.owner_changed(chat.owner, None)
        chat.state, chat.owner, chat.queued_at = ChatState.QUEUED, None, queued_at
        chat.transferred_from = chat.transferred_from or chat.target
        chat.target = back_to or chat.target
        self.chats.queue_changed()
        return True

    async def transfer(self, chat: LiveChat, seat: str, target: str, from_target: str) -> None:
        """To another library or pool; the patron keeps the waiting time and the queue place."""
        queued_at = chat.queued_at or self.clock.stamp()
        await self.store.set_state(
            chat.id,
            ChatState.QUEUED,
            "transferred",
            seat=seat,
            desk=_desk(seat),
            data={"from": from_target, "to": target},
            owner=None,
            target=target,
            queued_at=queued_at,
        )
        self.chats.owner_changed(chat.owner, None)
        chat.state, chat.owner, chat.target = ChatState.QUEUED, None, target
        chat.queued_at, chat.transferred_from = queued_at, from_target
        self.chats.queue_changed()

    async def end(self, chat: LiveChat, seat: str | None, by: str, reason: str | None = None) -> bool:
        """End the chat; False if it had ended already."""
        if chat.state is ChatState.ENDED:
            return False
        data: dict[str, Any] = {"by": by}
        if reason:
            data["reason"] = reason
        now = self.clock.now()
        if not await self.store.set_state(
            chat.id,
            ChatState.ENDED,
            "ended",
            seat=seat,
            desk=_desk(seat),
            data=data,
            expect={"ended_at": None},
            ended_at=self.clock.stamp(),
        ):
            return False
        chat.state, chat.ended_at = ChatState.ENDED, now
        self.chats.remove(chat)
        return True

    def refresh(self, chat: LiveChat, row: ChatSession) -> bool:
        """Another bridge wrote the chat's row: the live view takes its values; True if it changed."""
        before = (chat.state, chat.owner, chat.target, chat.queued_at, chat.answered_at)
        after = (row.state, row.owner, row.target, row.queued_at, row.answered_at)
        if before == after:
            return False
        if row.owner != chat.owner:
            self.chats.owner_changed(chat.owner, row.owner)
        chat.state, chat.owner, chat.target, chat.queued_at, chat.answered_at = after
        if row.owner is not None:
            chat.kept = False
        if row.state is ChatState.ENDED:
            chat.ended_at = parse_ts(row.ended_at) if row.ended_at else self.clock.now()
            self.chats.remove(chat)
        self.chats.queue_changed()
        return True

    def patron_gone(self, chat: LiveChat, at: datetime) -> None:
        """The patron's last socket closed (kept in memory: a restart counts from its start)."""
        chat.gone_since = at
        self.chats.queue_changed()

    def patron_back(self, chat: LiveChat, at: datetime) -> bool:
        """The patron is connected again; True if they had gone."""
        was_gone = chat.gone_since is not None
        chat.gone_since, chat.returned_at, chat.kept = None, at, chat.kept and not was_gone
        if was_gone:
            self.chats.queue_changed()
        return was_gone

    def keep(self, chat: LiveChat) -> None:
        """The owner keeps a chat whose patron has gone (it is not ended after the grace)."""
        chat.kept = True
