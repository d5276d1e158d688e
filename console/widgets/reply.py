"""The reply line: Enter sends, Ctrl+J / Shift+Enter / Alt+Enter start a new line."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = {"ctrl+j", "shift+enter", "alt+enter", "ctrl+enter"}


class ReplyInput(TextArea, inherit_bindings=False):
    """A multi-line input that sends on Enter."""

    # TextArea's own keys, except F6/F7 (select line/all), which switch chats and tag here.
    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in TextArea.BINDINGS if isinstance(b, Binding) and b.key not in ("f6", "f7")
    ]

    class Submitted(Message):
        """The librarian pressed Enter with this text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            compact=True,
            placeholder=placeholder,
            highlight_cursor_line=False,
        )
        self._submitted: str | None = None  # the text last sent with Enter, until it changes

    def _on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self._submitted = None

    def load_text(self, text: str) -> None:
        """Replace the text (a draft, or empty after sending); Enter may send again."""
        super().load_text(text)
        self._submitted = None

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            # A second Enter before the first is handled (a bounce, a paste ending in newlines)
            # finds the same text still here: it is the same line, not a second one.
            if self.text != self._submitted:
                self._submitted = self.text
                self.post_message(self.Submitted(self.text))
            return
        if event.key.startswith("alt+") and event.key not in NEWLINE_KEYS:
            # An Alt key no binding took: never type its letter (or ¡ ™ £) into the reply.
            event.stop()
            event.prevent_default()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            if not self.read_only:
                self.insert("\n")
            return
        await super()._on_key(event)
