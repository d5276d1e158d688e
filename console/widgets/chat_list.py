"""The list of chats: waiting, mine, taken by another seat, ended today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.i18n import Texts
from console.model import Chat, ChatBook, Section
from console.text import fit

SECTION_KEYS = {
    Section.WAITING: "sec.waiting",
    Section.MINE: "sec.mine",
    Section.TAKEN: "sec.taken",
    Section.ENDED: "sec.ended",
}


def waited(since: datetime, now: datetime) -> str:
    """Waiting time in whole minutes ("<1 min", "4 min", "1 h 05"), so it changes rarely."""
    secs = max(0, int((now - since).total_seconds()))
    if secs < 60:
        return "<1 min"
    h, rem = divmod(secs, 3600)
    m = rem // 60
    return f"{h} h {m:02d}" if h else f"{m} min"


def seat_name(jid: str) -> str:
    """A seat as people say it: the resource, with the account when it is another desk."""
    return jid.split("/", 1)[1] if "/" in jid else jid


WIDTH = 28  # cells of an entry before the list has a size
INDENT = "    "


class ChatList(OptionList):
    """Chats in sections. Option ids are session ids; section headings are disabled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", show=False),
        Binding("j", "cursor_down", show=False),
    ]

    def __init__(self, texts: Texts, library_name: Callable[[str], str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = texts
        self.library_name = library_name
        self.active: str | None = None
        self.sessions: list[str] = []  # in display order
        self._ids: list[str | None] = []
        self._prompts: list[Content] = []

    def _prompt(self, chat: Chat, section: Section, me: str, now: datetime) -> Content:
        """Two rows, each cut to the list's width by terminal cells (emoji and CJK are two)."""
        meta = chat.meta
        width = self.scrollable_content_region.width or WIDTH
        marker = "▶ " if chat.session == self.active else "  "
        head: list[str | tuple[str, str]] = [marker]
        if section is Section.WAITING:
            head.append((waited(chat.waiting_since, now) + " ", "bold $warning"))
        tail: list[str | tuple[str, str]] = []
        if meta.lang:
            tail.append(f" {meta.lang}")
        if chat.unread and section in (Section.WAITING, Section.MINE):
            tail.append((f" ●{chat.unread}", "bold $accent"))
        if chat.typing:
            tail.append(" ✎")
        if chat.patron_gone is not None and section is Section.MINE:
            tail.append((f" ({self.texts('patron_gone')})", "bold $error"))
        used = sum(cell_len(p if isinstance(p, str) else p[0]) for p in (*head, *tail))
        lib = fit(self.library_name(meta.library) or meta.library or "?", max(4, width - used))
        while tail and used + cell_len(lib) > width:  # a narrow list drops the extras first
            dropped = tail.pop()
            used -= cell_len(dropped if isinstance(dropped, str) else dropped[0])
        if section is Section.TAKEN:
            second = self.texts("taken_by", who=seat_name(meta.owner))
        elif chat.transferred_to:
            second = self.texts("transferred_to", target=chat.transferred_to)
        elif chat.withdrawn:
            second = self.texts("withdrawn")
        else:
            second = chat.first_line
        return Content.assemble(
            *head,
            (lib, "bold"),
            *tail,
            "\n" + INDENT,
            (fit(second, width - len(INDENT)), "italic" if section is Section.TAKEN else ""),
        )

    def rebuild(self, book: ChatBook, now: datetime | None = None) -> None:
        """Redraw from the chat book: only changed entries when the order is the same."""
        now = now or datetime.now(UTC)
        keep = self.highlighted_option.id if self.highlighted_option else self.active
        entries: list[tuple[str | None, Content]] = []
        for section, chats in book.ordered(now):
            if not chats and section is not Section.WAITING:
                continue
            title = f"{self.texts(SECTION_KEYS[section])} ({len(chats)})"
            entries.append((None, Content.styled(title, "bold reverse")))
            entries.extend((c.session, self._prompt(c, section, book.me, now)) for c in chats)
        ids = [e[0] for e in entries]
        if ids == self._ids and len(self.options) == len(entries):
            changed = [(i, c) for i, (_, c) in enumerate(entries) if c != self._prompts[i]]
            for index, content in changed:
                self.replace_option_prompt_at_index(index, content)
            if changed:
                self.refresh()
        else:
            self.set_options(Option(c, id=sid, disabled=sid is None) for sid, c in entries)
            self._ids = ids
            if keep in ids:
                self.highlighted = ids.index(keep)
        self._prompts = [c for _, c in entries]
        self.sessions = [sid for sid in ids if sid is not None]
