"""Search past transcripts in the local log (SQLite FTS5) and read one."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from console.clock import Times
from console.i18n import Texts
from console.log import MARK_END, MARK_START, ChatLog, SearchHit
from console.text import clean
from console.widgets.transcript import TranscriptView


def snippet_content(snippet: str) -> Content:
    """The FTS snippet with matched words highlighted; the text itself is never markup."""
    parts: list[str | tuple[str, str]] = []
    for i, chunk in enumerate(snippet.split(MARK_START)):
        hit, _, rest = chunk.partition(MARK_END) if i else ("", "", chunk)
        if hit:
            parts.append((clean(hit).replace("\n", " "), "bold reverse"))
        parts.append(clean(rest).replace("\n", " "))
    return Content.assemble(*parts)


def hit_content(hit: SearchHit, times: Times) -> Content:
    when = times.datetime(hit.ts)
    return Content.assemble(
        (when, "dim"),
        " ",
        (clean(hit.library) or "?", "bold"),
        " ",
        (hit.sender, "italic"),
        ": ",
        snippet_content(hit.snippet),
    )


class PastChatScreen(ModalScreen[None]):
    """One past chat's transcript from the local log."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", show=False)]

    def __init__(self, log: ChatLog, session: str, texts: Texts, times: Times) -> None:
        super().__init__()
        self.chat_log, self.session, self.texts, self.times = log, session, texts, times

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content(self.session), classes="dialog-title")
            yield TranscriptView(id="past-transcript", texts=self.texts, times=self.times)

    async def on_mount(self) -> None:
        view = self.query_one(TranscriptView)
        view.set_lines(await self.chat_log.lines(self.session))
        view.focus()


class SearchScreen(ModalScreen[None]):
    """Type words; matching lines of past chats appear; Enter opens that chat."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, log: ChatLog, texts: Texts, times: Times) -> None:
        super().__init__()
        self.chat_log, self.texts, self.times = log, texts, times
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide picker"):
            yield Label(self.texts("search.title"), classes="dialog-title")
            yield Input(id="search-input", placeholder=self.texts("filter"))
            yield OptionList(id="hits")

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(exclusive=True)
    async def run_search(self, text: str) -> None:
        self.hits = await self.chat_log.search(text) if text.strip() else []
        hits = self.query_one("#hits", OptionList)
        if self.hits:
            hits.set_options(Option(hit_content(h, self.times), id=str(i)) for i, h in enumerate(self.hits))
            hits.highlighted = 0
        else:
            none = self.texts("search.none") if text.strip() else ""
            hits.set_options([Option(none, disabled=True)] if none else [])

    def action_move(self, delta: int) -> None:
        hits = self.query_one("#hits", OptionList)
        if self.hits:
            hits.highlighted = max(0, min(len(self.hits) - 1, (hits.highlighted or 0) + delta))

    @on(Input.Submitted, "#search-input")
    @on(OptionList.OptionSelected, "#hits")
    def _open(self) -> None:
        index = self.query_one("#hits", OptionList).highlighted
        if self.hits and index is not None and index < len(self.hits):
            self.app.push_screen(
                PastChatScreen(self.chat_log, self.hits[index].session, self.texts, self.times)
            )
