"""The chats that have not ended, their locks, who owns how many, and the queue places."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Iterator

from slixmpp import JID

from bridge.chat import LiveChat
from bridge.clock import parse_ts
from bridge.store import ChatSession


def from_session(s: ChatSession) -> LiveChat:
    """The live view of a stored session (after a restart, a resume, or to look at an ended chat)."""
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
        ended_at=parse_ts(s.ended_at) if s.ended_at else None,
    )


class LiveChats:
    """Live chats by id. Every change of a chat happens under `lock(chat_id)`.

    Queue places are computed lazily, once after any number of changes: a change to one chat
    costs O(1) here, the next read of a place O(n log n) once.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, LiveChat] = {}
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.owned: Counter[str] = Counter()  # open chats per owning seat
        self._places: dict[str, int] | None = None

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[LiveChat]:
        return iter(list(self.by_id.values()))

    def get(self, chat_id: str) -> LiveChat | None:
        return self.by_id.get(chat_id)

    def lock(self, chat_id: str) -> asyncio.Lock:
        """The lock that serialises every change to one chat."""
        return self._locks[chat_id]

    def add(self, chat: LiveChat) -> None:
        self.by_id[chat.id] = chat
        if chat.owner:
            self.owned[chat.owner] += 1
        self.queue_changed()

    def remove(self, chat: LiveChat) -> None:
        if self.by_id.pop(chat.id, None) is not None and chat.owner:
            self._count_owner(chat.owner, -1)
        self.queue_changed()

    def owner_changed(self, old: str | None, new: str | None) -> None:
        """Keep the per-seat counts true (called by the transitions)."""
        if old:
            self._count_owner(old, -1)
        if new:
            self.owned[new] += 1

    def _count_owner(self, seat: str, delta: int) -> None:
        self.owned[seat] += delta
        if self.owned[seat] <= 0:
            del self.owned[seat]

    def owned_by_desk(self) -> Counter[str]:
        desks: Counter[str] = Counter()
        for seat, n in self.owned.items():
            desks[JID(seat).bare] += n
        return desks

    # queue places

    def queue_changed(self) -> None:
        """A chat joined, left or moved in a queue, or its patron came or went."""
        self._places = None

    def places(self) -> dict[str, int]:
        """Every waiting chat whose patron is here: its 1-based place in its target's queue.

        A patron who has gone does not count in anyone's place.
        """
        if self._places is None:
            queues: dict[str | None, list[LiveChat]] = defaultdict(list)
            for chat in self.by_id.values():
                if chat.waiting and chat.gone_since is None:
                    queues[chat.target].append(chat)
            places: dict[str, int] = {}
            for queue in queues.values():
                queue.sort(key=lambda c: c.queued_at or "")
                places.update((c.id, i) for i, c in enumerate(queue, 1))
            self._places = places
        return self._places

    def position(self, chat: LiveChat) -> int:
        """The chat's place in its queue (1 if it is not counted: first among those present)."""
        return self.places().get(chat.id, 1)
