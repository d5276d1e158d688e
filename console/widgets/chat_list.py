"""The list of chats: waiting, mine, taken by another seat, ended today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.i18n import Texts
from console.model import Chat, ChatBook, Section
from console.text import one_line

SECTION_KEYS = {
    Section.WAITING: "sec.waiting",
    Section.MINE: "sec.mine",
    Section.TAKEN: "sec.taken",
    Section.ENDED: "sec.ended",
}


def waited(since: datetime, now: datetime) -> str:
    """Waiting time as m:ss, or h:mm:ss past an hour."""
    secs = max(0, int((now - since).total_seconds()))
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def seat_name(jid: str) -> str:
    """A seat as people say it: the resource, with the account when it is another desk."""
    return jid.split("/", 1)[1] if "/" in jid else jid


class ChatList(OptionList):
    """Chats in sections. Option ids are session ids; section headings are disabled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", show=False),
        Binding("j", "cursor_down", show=False),
    ]

    def __init__(self, texts: Texts, library_name: Callable[[str], str], *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = texts
        self.library_name = library_name
        self.active: str | None = None
        self.sessions: list[str] = []  # in display order

    def _prompt(self, chat: Chat, section: Section, me: str, now: datetime) -> Content:
        meta = chat.meta
        lib = one_line(self.library_name(meta.library) or meta.library or "?", 24)
        marker = "▶ " if chat.session == self.active else "  "
        parts: list[str | tuple[str, str]] = [marker]
        if section is Section.WAITING:
            parts.append((waited(chat.waiting_since, now) + " ", "bold $warning"))
        parts.append((lib, "bold"))
        if meta.lang:
            parts.append(f" {meta.lang}")
        if chat.unread:
            parts.append((f" ●{chat.unread}", "bold $accent"))
        if chat.typing:
            parts.append(" ✎")
        if section is Section.TAKEN:
            second = self.texts("taken_by", who=seat_name(meta.owner))
        elif chat.transferred_to:
            second = self.texts("transferred_to", target=chat.transferred_to)
        else:
            second = chat.first_line
        parts.append("\n    ")
        parts.append((one_line(second, 60), "italic" if section is Section.TAKEN else ""))
        return Content.assemble(*parts)

    def rebuild(self, book: ChatBook, now: datetime | None = None) -> None:
        """Redraw every entry from the chat book, keeping the highlighted chat."""
        now = now or datetime.now(UTC)
        keep = self.highlighted_option.id if self.highlighted_option else self.active
        options: list[Option] = []
        self.sessions = []
        for section, chats in book.ordered(now):
            if not chats and section is not Section.WAITING:
                continue
            title = f"{self.texts(SECTION_KEYS[section])} ({len(chats)})"
            options.append(Option(Content.styled(title, "bold reverse"), disabled=True))
            for chat in chats:
                options.append(Option(self._prompt(chat, section, book.me, now), id=chat.session))
                self.sessions.append(chat.session)
        self.set_options(options)
        if keep in self.sessions:
            self.highlighted = self.get_option_index(keep)
