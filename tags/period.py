"""Report periods: inclusive local dates turned into UTC bounds."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tags.errors import ReportError

DEFAULT_TIMEZONE = "Europe/Helsinki"
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Period:
    """From `first` to `last` inclusive, local dates in `tz`; None leaves that end open."""

    first: date | None = None
    last: date | None = None
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    def start(self) -> datetime | None:
        """The UTC instant the period starts."""
        return _utc(self.first, self.tz) if self.first else None

    def end(self) -> datetime | None:
        """The UTC instant just after the period (exclusive)."""
        return _utc(self.last + timedelta(days=1), self.tz) if self.last else None

    def contains(self, instant: datetime) -> bool:
        """True if the UTC instant falls within the period."""
        start, end = self.start(), self.end()
        return (start is None or instant >= start) and (end is None or instant < end)

    def label(self) -> str:
        """Human text: "2026-09" for a whole month, else e.g. "2026-09-01 – 2026-09-15"."""
        if self.first and self.last and self.first == self.last:
            return self.first.isoformat()
        if self.first and self.last and _whole_month(self.first, self.last):
            return month_of(self.first)
        first = self.first.isoformat() if self.first else "…"
        last = self.last.isoformat() if self.last else "…"
        return f"{first} – {last}"


def timezone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, or ReportError."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ReportError(f"unknown time zone {name!r} (e.g. Europe/Helsinki)") from exc


def parse_day(text: str, *, last: bool = False) -> date:
    """YYYY-MM-DD, or YYYY-MM meaning the month's first (or with `last`, last) day."""
    try:
        if _MONTH.match(text):
            year, month = map(int, text.split("-"))
            day = calendar.monthrange(year, month)[1] if last else 1
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ReportError(f"not a date: {text!r} (use YYYY-MM-DD or YYYY-MM)") from exc


def month_period(text: str, tz: ZoneInfo) -> Period:
    """The whole calendar month named YYYY-MM."""
    if not _MONTH.match(text):
        raise ReportError(f"not a month: {text!r} (use YYYY-MM)")
    return Period(parse_day(text), parse_day(text, last=True), tz)


def month_of(day: date) -> str:
    """YYYY-MM of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(month: str) -> str:
    """The YYYY-MM before `month`."""
    first = parse_day(month)
    return month_of(first - timedelta(days=1))


def _whole_month(first: date, last: date) -> bool:
    days = calendar.monthrange(first.year, first.month)[1]
    return first.day == 1 and last == first.replace(day=days)


def _utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tz).astimezone(UTC)
