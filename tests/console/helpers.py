"""Read the console as the user sees it."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from console.app import ConsoleApp
from console.widgets.chat_list import ChatList
from console.widgets.reply import ReplyInput
from console.widgets.transcript import TranscriptView


def list_text(app: ConsoleApp) -> str:
    """The chat list's visible text, one entry per line."""
    return "\n".join(str(o.prompt) for o in app.query_one(ChatList).options)


def transcript_text(app: ConsoleApp) -> str:
    """Every rendered row of the transcript (scrolled or not)."""
    view = app.query_one(TranscriptView)
    rows = view.virtual_size.height
    saved = view.scroll_offset
    out: dict[int, str] = {}
    height = max(view.size.height, 1)
    for top in range(0, rows, height):
        view.scroll_to(0, top, animate=False, immediate=True)
        first = int(view.scroll_offset.y)  # the last page stops short of `top`
        for y in range(min(height, rows - first)):
            out[first + y] = view.render_line(y).text.rstrip()
    view.scroll_to(saved.x, saved.y, animate=False, immediate=True)
    return "\n".join(out[row] for row in sorted(out))


def static_text(app: ConsoleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def options_text(app: ConsoleApp, selector: str) -> str:
    return "\n".join(str(o.prompt) for o in app.screen.query_one(selector, OptionList).options)


def reply_text(app: ConsoleApp) -> str:
    return app.query_one(ReplyInput).text
