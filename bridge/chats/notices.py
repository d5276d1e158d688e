"""What the bridge tells desks about chats: offers, lines, and notices of each change."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from bridge.chat import LiveChat
from bridge.desklang import DEFAULT_LANG, Text, render
from bridge.desktext import patron_text, visible
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
    def send_notice(self, seat: str, session_id: str, chat: dict[str, str | None]) -> None: ...
    def speaks_desk_protocol(self, seat: str) -> bool: ...
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

    def __init__(
        self, library_name: Callable[[str], str], lang_of: Callable[[str], str] = lambda _seat: DEFAULT_LANG
    ) -> None:
        self.desks: DeskSender | None = None
        self.library_name = library_name
        self.lang_of = lang_of  # a seat's language (bridge/desklang.py)

    def notify(
        self,
        chat: LiveChat,
        seats: Iterable[str],
        kind: str,
        body: Text,
        extra: dict[str, str | None] | None = None,
    ) -> None:
        """A notice about a chat to seats (taken, ended, info …), in each seat's language."""
        if self.desks is None:
            return
        attrs = chat_attrs(chat, kind)
        attrs.update(extra or {})
        for seat in seats:
            self.desks.send_to_desk(seat, chat.id, render(body, self.lang_of(seat)), attrs)

    def info(self, chat: LiveChat, seat: str, text: Text) -> None:
        """The answer to a command, or a refusal: shown to that seat, never a line of the chat."""
        self.notify(chat, [seat], Kind.INFO, text)

    def line(self, chat: LiveChat, seat: str, m: ChatMessage) -> None:
        """A stored line of the chat to a seat; receipt-capable seats confirm it."""
        if self.desks is None:
            return
        attrs = chat_attrs(chat, Kind.LINE)
        attrs.update(msg_id=m.msg_id, sender=m.sender, name=m.name or chat.nickname)
        plain = not self.desks.speaks_desk_protocol(seat)
        # Patron text can never forge a line of the service in a plain client, and no desk
        # gets bidi overrides or zero-width characters from it.
        text = (patron_text(m.text) if plain else visible(m.text)) if m.sender == "patron" else m.text
        body = text if m.sender == "patron" else f"[{m.sender}] {text}"
        if plain:
            # A plain client (or one not known yet): say which chat this is. `label` lets a
            # desk-protocol client take it off again.
            attrs["label"] = self.label(chat)
            body = f"[{attrs['label']}] {body}"
        self.desks.send_to_desk(seat, chat.id, body, attrs, msg_id=f"{chat.id}-{m.seq}")

    def label(self, chat: LiveChat) -> str:
        """Who a relayed line is from, for plain clients: "Patron 7F3K · Tampere"."""
        return f"{chat.nickname} · {self.library_name(chat.library)}"

    def delivered(self, chat: LiveChat, seat: str, line_id: str) -> None:
        """The patron's browser has the seat's line `line_id` (the id the seat gave it)."""
        if self.desks is not None:
            self.desks.send_notice(seat, chat.id, {"kind": Kind.DELIVERED, "msg_id": line_id})

    def offer(
        self, chat: LiveChat, seats: Iterable[str], body: Text, attrs: dict[str, str | None], nick: str
    ) -> None:
        """An offer to seats, each in its language."""
        if self.desks is None:
            return
        for seat in seats:
            self.desks.send_to_desk(seat, chat.id, render(body, self.lang_of(seat)), attrs, nick=nick)

    def chatstate(self, chat: LiveChat, state: str) -> None:
        if self.desks is None:
            return
        for seat in [chat.owner] if chat.owner else sorted(chat.offered):
            self.desks.send_chatstate(seat, chat.id, state)

    def chat_over(self, chat_id: str) -> None:
        """The chat ended: nothing about it is sent again (no receipt resends)."""
        if self.desks is not None:
            self.desks.forget_chat(chat_id)
