"""Patron links (WebSockets) per chat, and the frames that tell a patron where their chat is.

Each link has a cursor: the number of the last line it has. Lines reach a link only through
`deliver`, which sends what lies after the cursor and moves it on, under the chat's delivery
lock: a line is sent to a socket once, whichever bridge wrote it and however often it is told.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from bridge.chat import WAITING, LiveChat
from bridge.chats.live import LiveChats
from bridge.cluster.events import UNTOLD_SENDERS
from bridge.store import ChatMessage

log = logging.getLogger(__name__)


class PatronLink(Protocol):
    """One live patron connection (a WebSocket)."""

    # The number of the last line this socket has; None while its `welcome` is being made.
    cursor: int | None

    @property
    def closed(self) -> bool: ...

    async def send(self, frame: dict[str, Any]) -> None: ...


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


def shown_live(m: ChatMessage) -> bool:
    """Lines a patron's socket is sent as they come (their own lines are acknowledged instead)."""
    return m.sender not in UNTOLD_SENDERS


class PatronLinks:
    """Which sockets belong to which chat; queue places told at most once per flush."""

    def __init__(self, chats: LiveChats) -> None:
        self.chats = chats
        self.links: dict[str, set[PatronLink]] = defaultdict(set)
        self._delivering: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def __contains__(self, session_id: object) -> bool:
        return session_id in self.links

    def attach(self, session_id: str, link: PatronLink) -> bool:
        """Add a socket; True if it is the chat's only one (the patron was away)."""
        self.links[session_id].add(link)
        return len(self.links[session_id]) == 1

    def detach(self, session_id: str, link: PatronLink) -> bool:
        """Remove a socket; True if it was the chat's last one (the patron has gone)."""
        links = self.links.get(session_id)
        if links is None:
            return False
        links.discard(link)
        if links:
            return False
        del self.links[session_id]
        lock = self._delivering.get(session_id)
        if lock is not None and not lock.locked():
            del self._delivering[session_id]
        return True

    def delivery(self, session_id: str) -> asyncio.Lock:
        """Held while lines go to the chat's sockets or a socket's cursor is set."""
        return self._delivering[session_id]

    def behind(self, session_id: str, line_no: int) -> list[PatronLink]:
        """The chat's open sockets whose cursor is before `line_no` (welcomed ones only)."""
        return [
            link
            for link in self.links.get(session_id, ())
            if link.cursor is not None and link.cursor < line_no and not link.closed
        ]

    async def deliver(
        self,
        links: Iterable[PatronLink],
        lines: Iterable[ChatMessage],
        extra: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> list[ChatMessage]:
        """Send each link the lines after its cursor (delivery lock held); the lines that went out.

        `extra`: more fields for some lines' frames, by line id (known only to the writer).
        """
        ordered = sorted(lines, key=lambda m: m.line)
        sent: dict[int, ChatMessage] = {}
        for link in links:
            for m in ordered:
                if link.cursor is None or m.line <= link.cursor:
                    continue
                if shown_live(m):
                    frame = message_frame(m)
                    frame.update((extra or {}).get(m.msg_id, {}))
                    try:
                        await link.send(frame)
                    except Exception:  # a closing socket must not stop the others
                        log.debug("dropping a line for a closed link")
                        break
                    sent[m.line] = m
                link.cursor = m.line
        return [sent[k] for k in sorted(sent)]

    async def send(self, session_id: str, frame: dict[str, Any]) -> int:
        """Send to every socket of the chat; how many took the frame."""
        sent = 0
        for link in list(self.links.get(session_id, ())):
            if link.closed:
                continue
            try:
                await link.send(frame)
                sent += 1
            except Exception:  # a closing socket must not stop the others
                log.debug("dropping frame for a closed link of %s", session_id)
        return sent

    def state_frame(self, chat: LiveChat, desk_name: str | None) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "state", "state": chat.state.value}
        if chat.state in WAITING and chat.queued_at:
            frame["position"] = chat.told_position = self.chats.position(chat)
        if desk_name:
            frame["desk"] = desk_name
        return frame

    async def tell_positions(self, desk_name: Any) -> int:
        """Tell the waiting patrons whose place changed since they were last told; how many."""
        told = 0
        for chat_id, place in list(self.chats.places().items()):
            chat = self.chats.get(chat_id)
            if chat is not None and chat.told_position != place and chat_id in self.links:
                await self.send(chat_id, self.state_frame(chat, desk_name(chat)))
                told += 1
        return told
