"""F1: every key and what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from console.i18n import Texts
from console.keys import ACTIONS, OTHER_KEYS, SCREEN_KEYS, pretty


def help_rows(texts: Texts) -> list[tuple[str, str]]:
    """(keys, what they do) for the help screen and the docs."""
    rows = [(pretty(a.keys), texts(a.help or a.label)) for a in ACTIONS]
    rows += [(keys, texts(label)) for keys, label in OTHER_KEYS]
    rows += [(keys, texts(label)) for keys, label in SCREEN_KEYS]
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of keys; Esc, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def __init__(self, texts: Texts) -> None:
        super().__init__()
        self.texts = texts

    def compose(self) -> ComposeResult:
        rows = help_rows(self.texts)
        width = max(len(k) for k, _ in rows) + 2
        parts: list[str | tuple[str, str]] = [(self.texts("help.title") + "\n\n", "bold")]
        for keys, label in rows:
            parts += [(keys.ljust(width), "bold $accent"), label, "\n"]
        parts.append(("\n" + self.texts("help.close"), "dim"))
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(Content.assemble(*parts), id="help-text")
