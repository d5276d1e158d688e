"""Alerts that are not missed: bell and highlight for a new chat, repeated and escalating while
it waits, a quiet mode; the clock is injected so tests can move time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from console import alerts
from console.backend import ChatMeta, ChatStateName
from console.config import AlertSettings
from console.followups import FollowupActions
from console.model import Section
from console.widgets.chat_list import ChatList
from console.widgets.panels import StatusBar

ALERT_GAP = 1.0  # seconds: offers closer together than this share one alert
LEVEL_CLASSES = tuple(f"-waiting-{n}" for n in range(1, alerts.MAX_LEVEL + 1))


class AlertActions(FollowupActions):
    """New-chat alerts, their repetition while a chat waits, and quiet mode."""

    alerts: AlertSettings
    clock: Callable[[], datetime]
    quiet: bool
    alert_level: int
    _last_alert: float
    _rung: dict[str, int]  # session → repeat rings already given for its current wait

    def init_alerts(self, settings: AlertSettings, clock: Callable[[], datetime]) -> None:
        self.alerts, self.clock = settings, clock
        self.quiet = settings.quiet
        self.alert_level = 0
        self._last_alert = float("-inf")
        self._rung = {}

    def refresh_list(self) -> None:
        raise NotImplementedError

    def refresh_active_context(self) -> None:
        raise NotImplementedError

    def ring(self) -> None:
        """The terminal bell, unless it is off or the seat is in quiet mode."""
        if self.alerts.bell and not self.quiet:
            self.bell()

    def alert(self, meta: ChatMeta) -> None:
        """A new chat: bell and highlight, as configured (once for a burst of offers)."""
        now = self.clock().timestamp()
        if now - self._last_alert < ALERT_GAP:
            return
        self._last_alert = now
        self.ring()
        if self.alerts.highlight:
            chats = self.query_one(ChatList)
            chats.add_class("-alert")
            self.set_timer(3.0, lambda: chats.remove_class("-alert"))
            self.notify(self.texts("new_chat", library=self.library_name(meta.library)), timeout=4)

    def tick(self) -> None:
        """Once a second: waiting times, and the repeated, escalating alert for waiting chats."""
        waiting = [
            c for c in dict(self.book.ordered())[Section.WAITING] if c.meta.state is ChatStateName.QUEUED
        ]
        if self.book.next_waiting() is not None:
            self.refresh_list()
            if (
                self.active is not None
                and self.book.chats[self.active].section(self.book.me) is Section.WAITING
            ):
                self.refresh_active_context()
        now = self.clock()
        due_any, top = False, 0
        for chat in waiting:
            due = alerts.rings_due((now - chat.waiting_since).total_seconds(), self.alerts)
            if due > self._rung.get(chat.session, 0):
                due_any = True
            self._rung[chat.session] = due
            top = max(top, alerts.level(due))
        for session in set(self._rung) - {c.session for c in waiting}:
            del self._rung[session]  # claimed, taken or gone: its next wait starts afresh
        if due_any:
            self.ring()
        self.set_alert_level(top if self.alerts.highlight else 0)

    def set_alert_level(self, level: int) -> None:
        """Highlight the chat list and the status line more strongly the longer a chat waits."""
        if level == self.alert_level:
            return
        rising = level > self.alert_level
        self.alert_level = level
        for widget in (self.query_one(ChatList), self.query_one(StatusBar)):
            for n, name in enumerate(LEVEL_CLASSES, 1):
                widget.set_class(n == level, name)
        if rising:
            chat = self.book.next_waiting()
            library = self.library_name(chat.meta.library) if chat else "?"
            self.notify(self.texts("still_waiting", library=library), severity="warning", timeout=6)

    def action_toggle_quiet(self) -> None:
        """Quiet mode for this session: no bell; highlights and counts stay."""
        self.quiet = not self.quiet
        status = self.query_one(StatusBar)
        status.quiet = self.texts("quiet.on") if self.quiet else ""
        status.redraw()
        self.notify(self.texts("quiet.now_on" if self.quiet else "quiet.now_off"), timeout=3)
