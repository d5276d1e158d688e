"""Small dialogs: internal note, confirmation, and the stop on a seat conflict."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from console.i18n import Texts


class NoteScreen(ModalScreen[str | None]):
    """Ask for an internal note; returns its text, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, texts: Texts) -> None:
        super().__init__()
        self.texts = texts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.texts("note.title"))
            yield Input(id="note-input")

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: Enter or y says yes, Esc or n says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y,k", "answer(True)", show=False),
        Binding("escape,n,e", "answer(False)", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, id="confirm-text")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class StoppedScreen(ModalScreen[str]):
    """The connection stopped for good (e.g. conflict); R reconnects, Q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('reconnect')", show=False),
        Binding("q,escape", "choose('quit')", show=False),
    ]

    def __init__(self, title: str, text: str, keys: str) -> None:
        super().__init__()
        self.title_text, self.text, self.keys = title, text, keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="stopped"):
            yield Static(self.title_text, markup=False, classes="dialog-title")
            yield Static(self.text, markup=False, id="stopped-text")
            yield Static(self.keys, markup=False, classes="dialog-keys")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
