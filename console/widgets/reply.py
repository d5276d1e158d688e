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

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self.text))
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            if not self.read_only:
                self.insert("\n")
            return
        await super()._on_key(event)
