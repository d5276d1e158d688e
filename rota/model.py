"""The roster as values: libraries, pools, service hours, closed days, shifts and fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays

from rota.clock import Span
from rota.errors import Problem


@dataclass(frozen=True)
class Library:
    """A library answering through one or more desk accounts (bare JIDs)."""

    id: str
    name: str
    desks: tuple[str, ...]
    phone: str | None = None
    url: str | None = None
    lang: str | None = None  # the language of the bridge's texts to its desks (fi, sv, en)


@dataclass(frozen=True)
class Pool:
    """Small libraries sharing shifts; any member's desk may answer."""

    id: str
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    """A shift: a span of one weekday and the library or pool on duty in it."""

    span: Span
    target: str


@dataclass(frozen=True)
class DateRange:
    """Closed days from `first` to `last`, both included."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}..{self.last}"


@lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of a country (ISO code, optionally "FI-SUBDIV") in one year."""
    code, _, subdiv = country.partition("-")
    table = holidays.country_holidays(code, subdiv=subdiv or None, years=year)
    return frozenset(table)


@dataclass(frozen=True)
class Roster:
    """A complete duty roster; all times are wall times in `timezone`."""

    timezone: ZoneInfo
    libraries: dict[str, Library]
    pools: dict[str, Pool] = field(default_factory=dict)
    hours: dict[int, tuple[Span, ...]] = field(default_factory=dict)
    shifts: dict[int, tuple[Slot, ...]] = field(default_factory=dict)
    closed: tuple[DateRange, ...] = ()
    public_holidays: str | None = None
    fallback: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()
    rollover_seconds: int = 30
    source: str = "rota.yaml"
    warnings: tuple[Problem, ...] = ()

    def target_name(self, target_id: str) -> str:
        """Display name of a library or pool id (the id itself if unknown)."""
        if target_id in self.libraries:
            return self.libraries[target_id].name
        if target_id in self.pools:
            return self.pools[target_id].name
        return target_id

    def has_target(self, target_id: str) -> bool:
        """Whether the id names a library or a pool."""
        return target_id in self.libraries or target_id in self.pools

    def members_of(self, target_id: str) -> tuple[str, ...]:
        """Library ids behind a target: the library itself, or a pool's members."""
        if target_id in self.pools:
            return self.pools[target_id].members
        return (target_id,) if target_id in self.libraries else ()

    def desks_of(self, target_id: str) -> tuple[str, ...]:
        """Desk JIDs of a library, or of all members of a pool in roster order; () if unknown."""
        return tuple(desk for lib in self.members_of(target_id) for desk in self.libraries[lib].desks)

    def library_of_desk(self, bare_jid: str) -> str | None:
        """Id of the library a desk account belongs to, or None."""
        return self._desk_index.get(bare_jid.strip().lower())

    def pool_of(self, library_id: str) -> str | None:
        """Id of the pool a library belongs to, or None."""
        return next((p.id for p in self.pools.values() if library_id in p.members), None)

    @property
    def all_desks(self) -> tuple[str, ...]:
        """Every desk account of every library, in roster order."""
        return tuple(desk for lib in self.libraries.values() for desk in lib.desks)

    @cached_property
    def _desk_index(self) -> dict[str, str]:
        return {desk: lib.id for lib in reversed(self.libraries.values()) for desk in lib.desks}

    def is_closed_day(self, day: date) -> bool:
        """Whether a local date is a closed day (listed, or a public holiday)."""
        if any(day in r for r in self.closed):
            return True
        return bool(self.public_holidays) and day in public_holidays(self.public_holidays or "", day.year)

    def hours_on(self, weekday: int) -> tuple[Span, ...]:
        """Service hours of a weekday (0 = Monday), ignoring closed days."""
        return self.hours.get(weekday, ())

    def shifts_on(self, weekday: int) -> tuple[Slot, ...]:
        """Shifts of a weekday (0 = Monday), in time order."""
        return self.shifts.get(weekday, ())
