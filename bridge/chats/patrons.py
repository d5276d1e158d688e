"""Patron links (WebSockets) per chat, and the frames that tell a patron where their chat is."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any, Protocol

from bridge.chat import WAITING, LiveChat
from bridge.chats.live import LiveChats
from bridge.store import ChatMessage

log = logging.getLogger(__name__)


class PatronLink(Protocol):
    """One live patron connection (a WebSocket)."""

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


class PatronLinks:
    """Which sockets belong to which chat; queue places told at most once per flush."""

    def __init__(self, chats: LiveChats) -> None:
        self.chats = chats
        self.links: dict[str, set[PatronLink]] = defaultdict(set)

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
        return True

    async def send(self, session_id: str, frame: dict[str, Any]) -> None:
        for link in list(self.links.get(session_id, ())):
            try:
                await link.send(frame)
            except Exception:  # a closing socket must not stop the others
                log.debug("dropping frame for a closed link of %s", session_id)

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
