"""The side panel with the patron's context and who is on duty, and the status line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from console.backend import Link
from console.duty import DutyLine
from console.i18n import Texts
from console.model import Chat
from console.text import one_line
from console.widgets.chat_list import waited


class SidePanel(Static):
    """Library, page, language, tags and state of the active chat; the duty list below."""

    def __init__(self, texts: Texts, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = texts

    def show(
        self,
        chat: Chat | None,
        library_name: Callable[[str], str],
        tag_name: Callable[[str], str],
        duty: list[DutyLine],
        now: datetime,
    ) -> None:
        t = self.texts
        parts: list[str | tuple[str, str]] = []

        def row(label: str, value: str) -> None:
            parts.extend([(f"{label}: ", "bold"), one_line(value, 300), "\n"])

        if chat is not None:
            meta = chat.meta
            name = library_name(meta.library)
            row(t("panel.library"), f"{name} ({meta.library})" if name != meta.library else meta.library)
            if meta.page:
                row(t("panel.page"), meta.page)
            row(t("panel.lang"), meta.lang or "?")
            row(t("panel.state"), t(f"state.{meta.state.value}"))
            if meta.state.value in ("queued", "bot", "closed") and not meta.owner:
                row(t("panel.waiting"), waited(chat.waiting_since, now))
            row(t("panel.tags"), ", ".join(tag_name(x) for x in meta.tags) or "–")
            parts.append("\n")
        parts.append((t("panel.duty") + "\n", "bold underline"))
        if not duty:
            parts.append((t("panel.no_roster") + "\n", "dim"))
        for d in duty:
            style = "bold" if d.heading else ""
            indent = "" if d.heading else "  "
            text = f"{indent}{d.name}"
            if d.phone:
                text += f"  ☎ {d.phone}"
            if d.available is not None:
                text += f"  ({d.available})"
            parts.append((one_line(text, 120) + "\n", style))
        self.update(Content.assemble(*parts))


class StatusBar(Static):
    """Connection state, the seat's JID, and counts."""

    def __init__(self, texts: Texts, jid: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts = texts
        self.jid = jid
        self.link = Link.CONNECTING
        self.detail = ""
        self.retry_in: float | None = None
        self.counts = ""
        self.followups = ""  # "Follow-ups 2 ●1" when there are any
        self.quiet = ""  # shown in quiet mode
        self.unread = ""  # "3 unread" in my chats other than the open one
        self.bridge_up = True

    def set_link(self, link: Link, detail: str = "", retry_in: float | None = None) -> None:
        self.link, self.detail, self.retry_in = link, detail, retry_in
        self.set_class(link is Link.CONNECTED, "-connected")
        self.set_class(link in (Link.RECONNECTING, Link.CONNECTING), "-reconnecting")
        self.set_class(link is Link.STOPPED, "-stopped")
        self.redraw()

    def set_bridge(self, up: bool) -> None:
        """The bridge answers (or not) while the server link may be fine."""
        self.bridge_up = up
        self.set_class(not up and self.link is Link.CONNECTED, "-bridge-down")
        self.redraw()

    def redraw(self) -> None:
        t = self.texts
        self.set_class(not self.bridge_up and self.link is Link.CONNECTED, "-bridge-down")
        if self.link is Link.CONNECTED and not self.bridge_up:
            state = t("link.bridge_down")
        elif self.link is Link.RECONNECTING:
            state = t("link.reconnecting", secs=int(self.retry_in or 0))
        else:
            state = t(f"link.{self.link.value}")
        if self.detail and self.link is not Link.CONNECTED:
            state += f" ({self.detail})"
        parts: list[str | tuple[str, str]] = [("● ", "bold"), one_line(state, 120), "  ", (self.jid, "dim")]
        parts += ["  ", self.counts]
        if self.unread:
            parts += [" · ", (self.unread, "bold")]
        if self.followups:
            parts += [" · ", (self.followups, "bold")]
        if self.quiet:
            parts += ["  ", (self.quiet, "reverse")]
        self.update(Content.assemble(*parts))
