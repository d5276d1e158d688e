"""Wall-clock pieces: weekdays, times of day as minutes, spans, and local time ↔ instant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_MINUTES = 24 * 60

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_SPAN = re.compile(r"\s*(\S+?)\s*[-–]\s*(\S+)\s*")


@dataclass(frozen=True, order=True)
class Span:
    """A part of a day from `start` up to but not including `end`, in minutes after midnight."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{format_minutes(self.start)}-{format_minutes(self.end)}"

    @property
    def minutes(self) -> int:
        """Length of the span in minutes."""
        return self.end - self.start

    def contains(self, minute: float) -> bool:
        """Whether a time of day (minutes, fractions allowed) falls inside the span."""
        return self.start <= minute < self.end


def weekday_index(name: str) -> int | None:
    """0 for "mon" (or "monday") … 6 for "sun"; None for anything else."""
    key = name.strip().lower()
    if key in WEEKDAYS:
        return WEEKDAYS.index(key)
    if key in _FULL_NAMES:
        return _FULL_NAMES.index(key)
    return None


def weekday_keys(name: str) -> tuple[int, ...] | None:
    """Weekdays named by a key: one day ("mon") or an inclusive run ("mon-fri"); None if invalid."""
    parts = re.split(r"\s*(?:\.\.|[-–])\s*", name.strip())
    if len(parts) == 1:
        day = weekday_index(parts[0])
        return None if day is None else (day,)
    if len(parts) != 2:
        return None
    first, last = weekday_index(parts[0]), weekday_index(parts[1])
    if first is None or last is None or last < first:
        return None
    return tuple(range(first, last + 1))


def parse_minutes(text: str) -> int:
    """Minutes after midnight of "HH:MM" (00:00 … 24:00); ValueError if malformed."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(f"malformed time {text!r} (expected HH:MM)")
    hours, minutes = int(match[1]), int(match[2])
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"malformed time {text!r} (00:00 … 24:00)")
    return hours * 60 + minutes


def parse_span(text: object) -> Span:
    """A span from "HH:MM-HH:MM"; ValueError naming what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f'expected a time range like "10:00-12:00", got {text!r}')
    match = _SPAN.fullmatch(text)
    if not match:
        raise ValueError(f"malformed time range {text!r} (expected HH:MM-HH:MM)")
    start, end = parse_minutes(match[1]), parse_minutes(match[2])
    if start == DAY_MINUTES:
        raise ValueError(f"malformed time range {text!r}: 24:00 may only end a range")
    if end <= start:
        raise ValueError(f"time range {text!r} ends before it starts")
    return Span(start, end)


def format_minutes(minutes: int, sep: str = ":") -> str:
    """ "HH:MM" of minutes after midnight (1440 is "24:00")."""
    return f"{minutes // 60:02d}{sep}{minutes % 60:02d}"


def minute_of_day(local: datetime) -> float:
    """Minutes after midnight of a local wall time, with seconds as a fraction."""
    return local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """The wall time in `tz` of an aware instant; ValueError for a naive datetime."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(tz)


def instant_at(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The first instant (in UTC) at which the wall clock in `tz` reads `minutes` on `day` or later.

    A wall time skipped by a DST change (spring forward) gives the instant of the change;
    a repeated one (autumn back) gives its first occurrence.
    """
    wall = datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=minutes)
    wall = wall.replace(fold=0)
    naive = wall.replace(tzinfo=None)
    if wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive:
        return wall.astimezone(UTC)
    # Skipped wall time: the change lies between the two readings of `wall` (fold=1 is earlier).
    low = wall.replace(fold=1).astimezone(UTC)
    high = wall.astimezone(UTC)
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            high = mid
        else:
            low = mid
    return high.replace(microsecond=0)


def instants_at(day: date, minutes: int, tz: ZoneInfo) -> tuple[datetime, ...]:
    """Instants (UTC) at which a wall time holds on `day`: two when DST repeats it."""
    first = instant_at(day, minutes, tz)
    wall = first.astimezone(tz)
    second = wall.replace(fold=1).astimezone(UTC)
    if wall.replace(tzinfo=None) == datetime.combine(day, time()) + timedelta(minutes=minutes):
        if second != first:
            return (first, second)
    return (first,)
