"""The bridge's notion of 'now' for routing: real time, or a demo clock that runs from a set instant."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    """Real time, optionally shifted so that it started at `start` (the demo's fixed opening)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0)
        if start is not None:
            self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(UTC) + self._offset

    @staticmethod
    def monotonic() -> float:
        return time.monotonic()
