"""What the bridge tells desks about chats: offers, lines, and notices of each change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from bridge.chat import LiveChat
from bridge.store import ChatMessage
from deskproto import Kind


class DeskSender(Protocol):
    """How the chat core reaches desks (the XMPP component)."""

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
    def forget_chat(self, session_id: str) -> None: ...
    def send_chatstate(self, seat: str, session_id: str, state: str) -> None: ...
    def ask_desks(self, desks: Any) -> None: ...


def chat_attrs(chat: LiveChat, kind: str) -> dict[str, str | None]:
    """The desk protocol's <chat/> attributes for a message about `chat`."""
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


class DeskNotices:
    """Sends desk messages through a `DeskSender` (none while the component is not wired)."""

    def __init__(self) -> None:
        self.desks: DeskSender | None = None

    def notify(
        self,
        chat: LiveChat,
        seats: Iterable[str],
        kind: str,
        body: str,
        extra: dict[str, str | None] | None = None,
    ) -> None:
        """A notice about a chat to seats (taken, ended, info …)."""
        if self.desks is None:
            return
        attrs = chat_attrs(chat, kind)
        attrs.update(extra or {})
        for seat in seats:
            self.desks.send_to_desk(seat, chat.id, body, attrs)

    def info(self, chat: LiveChat, seat: str, text: str) -> None:
        """The answer to a command, or a refusal: shown to that seat, never a line of the chat."""
        self.notify(chat, [seat], Kind.INFO, text)

    def line(self, chat: LiveChat, seat: str, m: ChatMessage) -> None:
        """A stored line of the chat to a seat; receipt-capable seats confirm it."""
        if self.desks is None:
            return
        attrs = chat_attrs(chat, Kind.LINE)
        attrs.update(msg_id=m.msg_id, sender=m.sender, name=m.name or chat.nickname)
        body = m.text if m.sender == "patron" else f"[{m.sender}] {m.text}"
        self.desks.send_to_desk(seat, chat.id, body, attrs, msg_id=f"{chat.id}-{m.seq}")

    def offer(
        self, chat: LiveChat, seats: Iterable[str], body: str, attrs: dict[str, str | None], nick: str
    ) -> None:
        if self.desks is None:
            return
        for seat in seats:
            self.desks.send_to_desk(seat, chat.id, body, attrs, nick=nick)

    def chatstate(self, chat: LiveChat, state: str) -> None:
        if self.desks is None:
            return
        for seat in [chat.owner] if chat.owner else sorted(chat.offered):
            self.desks.send_chatstate(seat, chat.id, state)

    def chat_over(self, chat_id: str) -> None:
        """The chat ended: nothing about it is sent again (no receipt resends)."""
        if self.desks is not None:
            self.desks.forget_chat(chat_id)
