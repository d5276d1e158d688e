"""The seed's planning method: fair slots per library by share, small libraries pooled, a grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from rota.clock import Span
from rota.model import Library, Pool, Roster, Slot
from rota.weights import Weights


@dataclass(frozen=True)
class Unit:
    """Who takes shifts in a plan: one library, or a pool of small libraries."""

    id: str
    name: str
    members: tuple[str, ...]
    quota: float
    slots: int = 0

    @property
    def is_pool(self) -> bool:
        """Whether the unit is a pool of libraries rather than one library."""
        return self.members != (self.id,)


@dataclass(frozen=True)
class Fair:
    """A library's fair share: percent, slots per week (fractional) and hours per year."""

    id: str
    name: str
    percent: float
    quota: float
    hours_per_year: float
    unit: str


@dataclass(frozen=True)
class Calendar:
    """One year of a roster: open and closed dates per weekday (closed days and holidays out)."""

    year: int
    open_days: dict[int, int]
    closed_days: dict[int, int] = field(default_factory=dict)
    source: str = "rota.yaml"

    def closed_on(self, weekdays: set[int] | dict[int, object]) -> int:
        """Closed dates that fall on the given weekdays (the service days)."""
        return sum(n for day, n in self.closed_days.items() if day in weekdays)


def calendar(roster: Roster, year: int) -> Calendar:
    """Count a year's dates per weekday, open or closed by the roster (listed days, holidays)."""
    open_days = dict.fromkeys(range(7), 0)
    closed_days = dict.fromkeys(range(7), 0)
    day = date(year, 1, 1)
    while day.year == year:
        if roster.is_closed_day(day):
            closed_days[day.weekday()] += 1
        else:
            open_days[day.weekday()] += 1
        day += timedelta(days=1)
    return Calendar(year, open_days, closed_days, roster.source)


@dataclass(frozen=True)
class Plan:
    """Fair shares, the units that take shifts with their slot counts, and a proposed grid."""

    weights: Weights
    slots_per_week: int
    fair: tuple[Fair, ...]
    units: tuple[Unit, ...]
    shifts: dict[int, tuple[Slot, ...]]
    uncovered_minutes: int = 0
    year: Calendar | None = None

    @property
    def weekly_hours(self) -> float:
        """Hours of duty a week (slots × slot length)."""
        return self.slots_per_week * self.weights.slot_minutes / 60

    @property
    def annual_hours(self) -> float:
        """Hours of duty a year: by the roster's calendar when there is one, else weeks × hours."""
        return annual_hours(self.shifts, self.weights, self.year)

    def as_roster(self) -> Roster:
        """The plan as a roster without desks, for showing its grid."""
        names = {s.id: s.name for s in self.weights.shares}
        return Roster(
            timezone=ZoneInfo("UTC"),
            libraries={i: Library(i, n, ()) for i, n in names.items()},
            pools={u.id: Pool(u.id, u.name, u.members) for u in self.units if u.is_pool},
            hours=self.weights.hours,
            shifts=self.shifts,
        )


def week_slots(hours: dict[int, tuple[Span, ...]], slot_minutes: int) -> dict[int, list[Span]]:
    """Each weekday's service hours cut into whole slots (a shorter remainder is left out)."""
    out: dict[int, list[Span]] = {}
    for day in sorted(hours):
        cuts = []
        for span in hours[day]:
            for n in range(span.minutes // slot_minutes):
                start = span.start + n * slot_minutes
                cuts.append(Span(start, start + slot_minutes))
        if cuts:
            out[day] = cuts
    return out


def largest_remainder(quotas: dict[str, float], seats: int) -> dict[str, int]:
    """Whole seats in proportion to quotas (Hamilton's method); ties go to the earlier key."""
    total = sum(quotas.values())
    if total <= 0 or seats <= 0:
        return {key: 0 for key in quotas}
    exact = {key: q * seats / total for key, q in quotas.items()}
    given = {key: int(e) for key, e in exact.items()}
    order = sorted(quotas, key=lambda k: (-(exact[k] - given[k]), list(quotas).index(k)))
    for key in order[: seats - sum(given.values())]:
        given[key] += 1
    return given


def annual_hours(shifts: dict[int, tuple[Slot, ...]], weights: Weights, year: Calendar | None) -> float:
    """Hours of the weekly shifts over a year: each open date of the calendar, or every week."""
    minutes = 0.0
    for day, slots in shifts.items():
        weeks = year.open_days.get(day, 0) if year else weights.weeks_per_year
        minutes += sum(slot.span.minutes for slot in slots) * weeks
    return minutes / 60


def make_plan(weights: Weights, existing: Roster | None = None, year: Calendar | None = None) -> Plan:
    """Fair slots per library; libraries below one slot pooled; a proposed weekly grid.

    With the `existing` roster, a proposed pool with the same members keeps its id and name,
    and a new pool gets an id that no library or pool of that roster has. With a `year` of
    the roster's calendar, hours a year leave its closed days and public holidays out.
    """
    cells = week_slots(weights.hours, weights.slot_minutes)
    seats = sum(len(c) for c in cells.values())
    total = weights.total_percent or 1.0
    quota = {s.id: s.percent / total * seats for s in weights.shares}
    names = {s.id: s.name for s in weights.shares}
    own = [i for i in quota if quota[i] >= 1]
    small = [i for i in quota if quota[i] < 1 and quota[i] > 0]
    units = [Unit(i, names[i], (i,), quota[i]) for i in own]
    pools = existing.pools if existing else {}
    taken = set(quota) | (set(existing.libraries) | set(pools) if existing else set())
    units += _pools(small, quota, taken, max_pools=max(1, seats - len(own)), existing=pools)
    counts = _at_least_one(largest_remainder({u.id: u.quota for u in units}, seats), units)
    units = [replace(u, slots=counts[u.id]) for u in units]
    unit_of = {m: u.id for u in units for m in u.members}
    grid = _grid(cells, units)
    full = {day: tuple(Slot(span, "") for span in spans) for day, spans in cells.items()}
    hours_year = annual_hours(full, weights, year)
    fair = tuple(
        Fair(
            s.id,
            s.name,
            s.percent,
            quota[s.id],
            quota[s.id] / (seats or 1) * hours_year,
            unit_of.get(s.id, ""),
        )
        for s in weights.shares
    )
    leftover = sum(span.minutes for spans in weights.hours.values() for span in spans)
    leftover -= seats * weights.slot_minutes
    return Plan(weights, seats, fair, tuple(units), grid, leftover, year)


def _pools(
    small: list[str],
    quota: dict[str, float],
    taken: set[str],
    max_pools: int,
    existing: dict[str, Pool] | None = None,
) -> list[Unit]:
    """Small libraries in pools of about one slot each, balanced largest first.

    A pool whose members match an `existing` pool takes that pool's id and name; any other
    gets the next `pool-N` that is not `taken`.
    """
    if not small:
        return []
    count = min(len(small), max_pools, max(1, round(sum(quota[i] for i in small))))
    bins: list[list[str]] = [[] for _ in range(count)]
    sums = [0.0] * count
    for lib in sorted(small, key=lambda i: -quota[i]):
        k = sums.index(min(sums))
        bins[k].append(lib)
        sums[k] += quota[lib]
    same = {frozenset(p.members): p for p in (existing or {}).values()}
    used = set(taken)
    units = []
    number = 0
    for k, members in enumerate(bins):
        ordered = tuple(i for i in small if i in members)
        match = same.get(frozenset(members))
        if match is not None:
            units.append(Unit(match.id, match.name, ordered, sums[k]))
            continue
        number += 1
        while f"pool-{number}" in used:
            number += 1
        pool_id = f"pool-{number}"
        used.add(pool_id)
        units.append(Unit(pool_id, f"Pool {number}", ordered, sums[k]))
    return units


def _at_least_one(counts: dict[str, int], units: list[Unit]) -> dict[str, int]:
    """Give every unit one slot if need be, taken from the most generously rounded unit."""
    for unit in units:
        if counts[unit.id] == 0:
            donors = [u for u in units if counts[u.id] > 1]
            if donors:
                donor = max(donors, key=lambda u: counts[u.id] - u.quota)
                counts[donor.id] -= 1
                counts[unit.id] = 1
    return counts


def _grid(cells: dict[int, list[Span]], units: list[Unit]) -> dict[int, tuple[Slot, ...]]:
    """Fill the week time-slot by time-slot across the days, biggest unit first."""
    order = [
        (day, cells[day][row])
        for row in range(max((len(c) for c in cells.values()), default=0))
        for day in sorted(cells)
        if row < len(cells[day])
    ]
    queue = [u.id for u in sorted(units, key=lambda u: (-u.slots, -u.quota)) for _ in range(u.slots)]
    grid: dict[int, list[Slot]] = defaultdict(list)
    for (day, span), target in zip(order, queue, strict=False):
        grid[day].append(Slot(span, target))
    return {day: tuple(sorted(slots, key=lambda s: s.span)) for day, slots in sorted(grid.items())}


@dataclass(frozen=True)
class Comparison:
    """A library's fair hours a year against the hours an existing roster gives it."""

    id: str
    name: str
    percent: float
    fair_hours: float
    rostered_hours: float

    @property
    def difference(self) -> float:
        """Rostered minus fair hours a year (positive: more than its share)."""
        return self.rostered_hours - self.fair_hours


def compare(roster: Roster, weights: Weights, year: Calendar | None = None) -> tuple[Comparison, ...]:
    """Hours per library per year in a roster (pool slots split by share) against fair shares.

    With a `year` of the roster's calendar, each weekday counts its open dates in that year
    (closed days and public holidays out); without, every weekday counts `weeks_per_year`.
    """
    percent = {s.id: s.percent for s in weights.shares}
    minutes: dict[str, float] = defaultdict(float)
    for day in range(7):
        for slot in roster.shifts_on(day):
            members = roster.members_of(slot.target)
            split = [percent.get(m, 0.0) for m in members]
            if sum(split) <= 0:
                split = [1.0] * len(members)
            weeks = year.open_days.get(day, 0) if year else weights.weeks_per_year
            for member, part in zip(members, split, strict=True):
                minutes[member] += slot.span.minutes * part / sum(split) * weeks
    yearly = {lib: m / 60 for lib, m in minutes.items()}
    total_hours = sum(yearly.values())
    total_percent = weights.total_percent or 1.0
    names = {s.id: s.name for s in weights.shares}
    names.update({i: lib.name for i, lib in roster.libraries.items()})
    ids = [s.id for s in weights.shares] + [i for i in roster.libraries if i not in percent]
    return tuple(
        Comparison(
            i,
            names[i],
            percent.get(i, 0.0),
            percent.get(i, 0.0) / total_percent * total_hours,
            yearly.get(i, 0.0),
        )
        for i in ids
    )
