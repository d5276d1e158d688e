"""The routing decision: who is on duty at an instant, whom to offer a chat, when we open next."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from rota.clock import instants_at, minute_of_day, to_local
from rota.model import Roster
from rota.text import hours_text

__all__ = [
    "Decision",
    "Step",
    "chain",
    "hours_text",
    "is_open",
    "next_closing",
    "next_opening",
    "on_duty",
    "route",
]

# Explicit closed ranges may be long (a summer break); look this far past the last one.
_HORIZON_DAYS = 400
_EPSILON = timedelta(microseconds=1)


@dataclass(frozen=True)
class Step:
    """One target of the chain and those of its desks that are available, in roster order."""

    target: str
    desks: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """Where a new chat goes now: the steps to try in order, or closed with the next opening."""

    open: bool
    on_duty: str | None
    steps: tuple[Step, ...]
    next_opening: datetime | None
    chain: tuple[str, ...] = ()

    @property
    def desks(self) -> tuple[str, ...]:
        """All desks of all steps, in order, each once."""
        return tuple(dict.fromkeys(desk for step in self.steps for desk in step.desks))


def is_open(roster: Roster, instant: datetime) -> bool:
    """Whether the service is open at an aware instant."""
    local = to_local(instant, roster.timezone)
    if roster.is_closed_day(local.date()):
        return False
    minute = minute_of_day(local)
    return any(span.contains(minute) for span in roster.hours_on(local.weekday()))


def on_duty(roster: Roster, instant: datetime) -> str | None:
    """Id of the library or pool on duty, or None when closed or nobody has the shift."""
    if not is_open(roster, instant):
        return None
    local = to_local(instant, roster.timezone)
    minute = minute_of_day(local)
    for slot in roster.shifts_on(local.weekday()):
        if slot.span.contains(minute):
            return slot.target
    return None


def chain(roster: Roster, instant: datetime) -> tuple[str, ...]:
    """Targets to try in order: the one on duty, then the fallback; () when closed."""
    if not is_open(roster, instant):
        return ()
    first = on_duty(roster, instant)
    ids = ((first,) if first else ()) + roster.fallback
    return tuple(dict.fromkeys(t for t in ids if roster.has_target(t)))


def route(roster: Roster, instant: datetime, available: Collection[str]) -> Decision:
    """Decide whom to offer a chat: available desks of the chain in order, or closed."""
    if not is_open(roster, instant):
        return Decision(False, None, (), next_opening(roster, instant))
    free = {_bare(jid) for jid in available}
    targets = chain(roster, instant)
    steps = []
    for target in targets:
        desks = tuple(d for d in roster.desks_of(target) if d in free)
        if desks:
            steps.append(Step(target, desks))
    return Decision(True, on_duty(roster, instant), tuple(steps), None, targets)


def _bare(jid: str) -> str:
    return jid.split("/", 1)[0].strip().lower()


def next_opening(roster: Roster, instant: datetime) -> datetime | None:
    """Start of the first opening after `instant` (aware, roster time zone); None if never.

    When the service is open at `instant`, this is the opening after the current period.
    """
    for start in _span_starts(roster, instant):
        if start > instant and is_open(roster, start) and not is_open(roster, start - _EPSILON):
            return start.astimezone(roster.timezone)
    return None


def next_closing(roster: Roster, instant: datetime) -> datetime | None:
    """When the current open period ends (aware, roster time zone); None when closed now."""
    if not is_open(roster, instant):
        return None
    tz = roster.timezone
    local = to_local(instant, tz)
    for offset in range(_HORIZON_DAYS):
        day = local.date() + timedelta(days=offset)
        ends = (i for span in roster.hours_on(day.weekday()) for i in instants_at(day, span.end, tz))
        for end in sorted(ends):
            if end > instant and not is_open(roster, end):
                return end.astimezone(tz)
    return None


def _span_starts(roster: Roster, instant: datetime) -> Iterator[datetime]:
    """Opening instants (UTC) of service-hour spans on open days, from the day of `instant` on."""
    if not roster.hours:
        return
    tz = roster.timezone
    today = to_local(instant, tz).date()
    last_closed = max((r.last for r in roster.closed), default=today)
    end = max(today, last_closed) + timedelta(days=_HORIZON_DAYS)
    day = today - timedelta(days=1)
    while day <= end:
        if not roster.is_closed_day(day):
            starts = (i for span in roster.hours_on(day.weekday()) for i in instants_at(day, span.start, tz))
            yield from sorted(starts)
        day += timedelta(days=1)
