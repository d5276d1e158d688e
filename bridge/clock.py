"""The bridge's one clock: real time, or a demo clock that runs on from a set instant.

One `Clock` is made at start and handed to everything that needs 'now' (routing, the store's
timestamps, mail, follow-ups, ratings, retention, timers); no other module reads the wall clock.
Wall time is for people and the store; `monotonic()` is for measuring waits.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


def format_ts(instant: datetime) -> str:
    """An aware datetime as the store's text form: ISO 8601 UTC with milliseconds."""
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def parse_ts(text: str) -> datetime:
    """The store's text form back to an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Clock:
    """Real time, optionally shifted so that it read `start` when it was made (demos, training)."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("Clock: give the start with its UTC offset, e.g. 2026-11-23T10:30:00+02:00")
        self._offset = timedelta(0) if start is None else start - datetime.now(UTC)

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(UTC) + self._offset

    def stamp(self) -> str:
        """The current instant in the store's text form."""
        return format_ts(self.now())

    @staticmethod
    def monotonic() -> float:
        """Seconds from an arbitrary point, for waits and rates (never shown to people)."""
        return time.monotonic()


class ManualClock(Clock):
    """A clock that stands still until told to move (tests of timers and dates)."""

    def __init__(self, at: datetime) -> None:
        super().__init__()
        if at.tzinfo is None:
            raise ValueError("ManualClock: give an aware datetime")
        self._at = at.astimezone(UTC)
        self._mono = 0.0

    def now(self) -> datetime:
        return self._at

    def monotonic(self) -> float:  # type: ignore[override]
        return self._mono

    def advance(self, seconds: float) -> None:
        """Move both the wall clock and the monotonic clock forward."""
        self._at += timedelta(seconds=seconds)
        self._mono += seconds
