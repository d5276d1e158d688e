"""Alerts that are not missed: when to ring and how strongly to highlight (no Textual).

A new chat rings (once for a burst of offers); a chat that keeps waiting rings again, sooner and
sooner; new lines in another of my chats ring too. Quiet mode silences the bell only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console import alerts
from console.clock import Clock
from console.config import AlertSettings
from console.model import Chat

ALERT_GAP = 1.0  # seconds: offers closer together than this share one alert


@dataclass(frozen=True)
class Tick:
    """The once-a-second decision: ring now, and the highlight level (rising: say so)."""

    ring: bool
    level: int
    rising: bool


class Alerter:
    """Bell, highlight and escalation for one seat, from its settings and the one clock."""

    def __init__(self, settings: AlertSettings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.quiet = settings.quiet
        self.level = 0
        self._last_alert = float("-inf")
        self._rung: dict[str, int] = {}  # session → repeat rings already given for its current wait

    @property
    def bell(self) -> bool:
        """Whether a ring is heard now (quiet mode and `bell: false` silence it)."""
        return self.settings.bell and not self.quiet

    def new_chat(self) -> bool:
        """A new chat was offered: True when it gets its own alert (not within a burst)."""
        now = self.clock().timestamp()
        if now - self._last_alert < ALERT_GAP:
            return False
        self._last_alert = now
        return True

    def tick(self, waiting: Sequence[Chat]) -> Tick:
        """Repeat rings due for chats that keep waiting, and the highlight's strength."""
        now = self.clock()
        due_any, top = False, 0
        for chat in waiting:
            due = alerts.rings_due((now - chat.waiting_since).total_seconds(), self.settings)
            if due > self._rung.get(chat.session, 0):
                due_any = True
            self._rung[chat.session] = due
            top = max(top, alerts.level(due))
        for session in set(self._rung) - {c.session for c in waiting}:
            del self._rung[session]  # claimed, taken or gone: its next wait starts afresh
        level = top if self.settings.highlight else 0
        rising = level > self.level
        self.level = level
        return Tick(due_any, level, rising)

    def toggle_quiet(self) -> bool:
        self.quiet = not self.quiet
        return self.quiet
