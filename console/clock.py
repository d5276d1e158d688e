"""The console's one clock and how it writes times for people (the roster's zone, the UI language)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo

from rota.text import clock_text, date_text, datetime_text

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware, in UTC: the only place the console reads the wall clock."""
    return datetime.now(UTC)


def shifted_clock(start: datetime) -> Clock:
    """Real time running on from `start` (the demo's clock, the same as the bridge's `demo_clock`)."""
    if start.tzinfo is None:
        raise ValueError("give the start with its UTC offset, e.g. 2026-11-23T10:30:00+02:00")
    offset = start - system_clock()
    return lambda: system_clock() + offset


class Times:
    """Times as the librarian reads them: in the roster's time zone, formatted for `lang`.

    Without a roster the machine's local zone is the best guess (a server's is usually UTC, so
    configure `roster:` where the console runs on one).
    """

    def __init__(self, lang: str, tz: tzinfo | None = None) -> None:
        self.lang, self.tz = lang, tz

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()

    def day(self, moment: datetime) -> date:
        """The local calendar day of a moment (for "ended today")."""
        return self.local(moment).date()

    def clock(self, moment: datetime) -> str:
        """10:30 (en) or 10.30 (fi, sv)."""
        return str(clock_text(self.local(moment), self.lang))

    def date(self, moment: datetime) -> str:
        return str(date_text(self.local(moment), self.lang))

    def datetime(self, moment: datetime) -> str:
        """23 Nov 2026, 10:30 (en); 23.11.2026 klo 10.30 (fi)."""
        return str(datetime_text(self.local(moment), self.lang))
