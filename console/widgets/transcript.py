"""A virtual transcript: only visible lines are rendered, so 10,000 messages stay fast."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from console.backend import Line, Mark
from console.clock import Times
from console.i18n import Texts
from console.text import clean
from console.widgets.wrap import wrap_spans

INDENT = 2
CACHE_LIMIT = 4000  # rendered messages kept
LAYOUT_CACHE = 20  # chats whose layout is kept for switching back


@dataclass
class _Layout:
    """A chat's lines as laid out at one width."""

    lines: list[Line]
    texts: list[str]
    heights: list[int]
    width: int


class TranscriptView(ScrollView, can_focus=True):
    """The active chat's lines. Text goes to the screen as plain segments, never as markup."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--time",
        "transcript--patron",
        "transcript--librarian",
        "transcript--bot",
        "transcript--system",
        "transcript--note",
        "transcript--pending",
        "transcript--failed",
        "transcript--command",
        "transcript--body",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]

    def __init__(self, *, texts: Texts, times: Times, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts, self.times = texts, times
        self.lines: list[Line] = []
        self._texts: list[str] = []
        self._heights: list[int] = []
        self._offsets: list[int] = [0]  # offsets[i] = first row of message i
        self._width = 0
        self._cache: dict[int, list[Strip]] = {}
        self.key: str | None = None
        self._layouts: dict[str, _Layout] = {}

    # -- content -------------------------------------------------------------------------
    def set_lines(self, lines: list[Line], key: str | None = None) -> None:
        """Show these lines (replacing what was shown) and scroll to the end.

        With a `key` (the chat's session) the layout is kept, so coming back to a long chat
        only lays out the lines that arrived meanwhile.
        """
        if self.key is not None and self._width:
            self._layouts[self.key] = _Layout(self.lines, self._texts, self._heights, self._width)
        self.key = key
        self.lines = list(lines)
        old = self._layouts.pop(key, None) if key is not None else None
        width = self.scrollable_content_region.width or self.size.width
        if (
            old is not None
            and old.width == width
            and len(old.lines) <= len(lines)
            and all(
                a is b
                for a, b in zip(old.lines[-3:], lines[len(old.lines) - 3 : len(old.lines)], strict=False)
            )
        ):
            tail = self.lines[len(old.lines) :]
            self._texts = old.texts + [clean(line.text).rstrip("\n") for line in tail]
            self._cache.clear()
            self._width = width
            self._heights = old.heights + [self._height(i) for i in range(len(old.lines), len(self.lines))]
            self._offsets = [0, *accumulate(self._heights)]
            self.virtual_size = Size(width, self._offsets[-1])
            self.refresh()
        else:
            self._texts = [clean(line.text).rstrip("\n") for line in self.lines]
            self._relayout()
        while len(self._layouts) > LAYOUT_CACHE:
            self._layouts.pop(next(iter(self._layouts)))
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def append(self, line: Line) -> None:
        """Add one line at the end; follow it if the view was at the end."""
        at_end = self.scroll_y >= self.max_scroll_y - 1
        self.lines.append(line)
        self._texts.append(clean(line.text).rstrip("\n"))
        if self._width:
            height = self._height(len(self.lines) - 1)
            self._heights.append(height)
            self._offsets.append(self._offsets[-1] + height)
            self.virtual_size = Size(self._width, self._offsets[-1])
        self.refresh()
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False, x_axis=False)

    def replace_line(self, index: int, line: Line) -> None:
        """Replace a line (e.g. a pending one that was sent) keeping the layout."""
        self.lines[index] = line
        self._texts[index] = clean(line.text).rstrip("\n")
        self._cache.pop(index, None)
        self._relayout()

    # -- layout --------------------------------------------------------------------------
    def _who(self, line: Line) -> str:
        """One name per kind of sender: the patron is always "Patron 7F3K", a note says so."""
        t = self.texts
        if line.sender == "patron":
            return t("who.patron", id=line.session[-4:].upper())
        if line.sender == "note":
            return t("who.note", name=clean(line.name) or t("you"))
        if line.sender == "command":
            return t("who.command")
        if line.sender == "system":
            return t("who.system")
        if line.sender == "bot":
            return t("who.bot")
        return clean(line.name or line.sender)

    def _header(self, line: Line) -> str:
        return f"{self.times.clock(line.ts)} {self._who(line)}: "

    def _text(self, index: int) -> str:
        """The line's text with its delivery mark after it."""
        text, mark = self._texts[index], self.lines[index].mark
        if mark is Mark.NONE:
            return text
        return f"{text} {self.texts(f'mark.{mark.value}')}"

    def _wrap(self, index: int) -> list[tuple[int, int, int]]:
        """(paragraph offset, start, end) of every row of message `index`."""
        text = self._text(index)
        header = len(self._header(self.lines[index]))
        width = max(self._width - INDENT, 10)
        first = self._width - header if header < self._width // 2 else 0
        rows: list[tuple[int, int, int]] = []
        offset = 0
        for para in text.split("\n"):
            room = first if not rows else width
            if room <= 0:
                rows.append((offset, 0, 0))  # header alone on its row
                room = width
            rows.extend((offset, s, e) for s, e in wrap_spans(para, width, room))
            offset += len(para) + 1
        return rows

    def _height(self, index: int) -> int:
        return len(self._wrap(index))

    def _relayout(self) -> None:
        self._cache.clear()
        width = self.scrollable_content_region.width or self.size.width
        self._width = width
        if not width:
            return
        self._heights = [self._height(i) for i in range(len(self.lines))]
        self._offsets = [0, *accumulate(self._heights)]
        self.virtual_size = Size(width, self._offsets[-1])
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            at_end = self.scroll_y >= self.max_scroll_y - 1
            self._relayout()
            if at_end:
                self.scroll_end(animate=False, immediate=True, x_axis=False)

    # -- rendering -----------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"transcript--{name}", partial=True)

    def _strips(self, index: int) -> list[Strip]:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        line, text = self.lines[index], self._text(index)
        sender = line.sender if line.sender in {"patron", "librarian", "bot", "note", "command"} else "system"
        if line.mark is Mark.FAILED:
            body_style = self._style("failed")
        elif line.pending:
            body_style = self._style("pending")
        else:
            body_style = self._style(sender if sender in ("note", "command") else "body")
        base = self.rich_style
        strips: list[Strip] = []
        for row, (para_off, start, end) in enumerate(self._wrap(index)):
            piece = text[para_off + start : para_off + end]
            if row == 0:
                header = self._header(line)
                cut = header.index(" ") + 1
                time_part, name_part = header[:cut], header[cut:]
                segs = [
                    Segment(time_part, base + self._style("time")),
                    Segment(name_part, base + self._style(sender)),
                    Segment(piece, base + body_style),
                ]
            else:
                segs = [Segment(" " * INDENT, base), Segment(piece, base + body_style)]
            strips.append(Strip(segs))
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self._cache[index] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width and width != self._width:
            # The vertical scrollbar came or went without a resize (e.g. a long chat was opened):
            # lay out again, or every wrapped row would lose its last character to the crop.
            self._relayout()
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        if not self.lines or row >= self._offsets[-1]:
            return Strip.blank(width, self.rich_style)
        index = bisect_right(self._offsets, row) - 1
        strips = self._strips(index)
        strip = strips[min(row - self._offsets[index], len(strips) - 1)]
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
