"""The seed's planning method: fair slots per library by share, small libraries pooled, a grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
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
class Plan:
    """Fair shares, the units that take shifts with their slot counts, and a proposed grid."""

    weights: Weights
    slots_per_week: int
    fair: tuple[Fair, ...]
    units: tuple[Unit, ...]
    shifts: dict[int, tuple[Slot, ...]]
    uncovered_minutes: int = 0

    @property
    def weekly_hours(self) -> float:
        """Hours of duty a week (slots × slot length)."""
        return self.slots_per_week * self.weights.slot_minutes / 60

    @property
    def annual_hours(self) -> float:
        """Hours of duty a year, as in the seed's 30 h × 52 = 1560 h."""
        return self.weekly_hours * self.weights.weeks_per_year

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


def make_plan(weights: Weights) -> Plan:
    """Fair slots per library; libraries below one slot pooled; a proposed weekly grid."""
    cells = week_slots(weights.hours, weights.slot_minutes)
    seats = sum(len(c) for c in cells.values())
    total = weights.total_percent or 1.0
    quota = {s.id: s.percent / total * seats for s in weights.shares}
    names = {s.id: s.name for s in weights.shares}
    own = [i for i in quota if quota[i] >= 1]
    small = [i for i in quota if quota[i] < 1 and quota[i] > 0]
    units = [Unit(i, names[i], (i,), quota[i]) for i in own]
    units += _pools(small, quota, set(quota), max_pools=max(1, seats - len(own)))
    counts = _at_least_one(largest_remainder({u.id: u.quota for u in units}, seats), units)
    units = [replace(u, slots=counts[u.id]) for u in units]
    unit_of = {m: u.id for u in units for m in u.members}
    hours_year = weights.weeks_per_year * weights.slot_minutes / 60
    fair = tuple(
        Fair(s.id, s.name, s.percent, quota[s.id], quota[s.id] * hours_year, unit_of.get(s.id, ""))
        for s in weights.shares
    )
    leftover = sum(span.minutes for spans in weights.hours.values() for span in spans)
    leftover -= seats * weights.slot_minutes
    return Plan(weights, seats, fair, tuple(units), _grid(cells, units), leftover)


def _pools(small: list[str], quota: dict[str, float], taken: set[str], max_pools: int) -> list[Unit]:
    """Small libraries in pools of about one slot each, balanced largest first."""
    if not small:
        return []
    count = min(len(small), max_pools, max(1, round(sum(quota[i] for i in small))))
    bins: list[list[str]] = [[] for _ in range(count)]
    sums = [0.0] * count
    for lib in sorted(small, key=lambda i: -quota[i]):
        k = sums.index(min(sums))
        bins[k].append(lib)
        sums[k] += quota[lib]
    units = []
    for n, members in enumerate(bins, start=1):
        pool_id = f"pool-{n}"
        while pool_id in taken:
            pool_id += "x"
        ordered = tuple(i for i in small if i in members)
        units.append(Unit(pool_id, f"Pool {n}", ordered, sums[n - 1]))
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


def compare(roster: Roster, weights: Weights) -> tuple[Comparison, ...]:
    """Hours per library per year in a roster (pool slots split by share) against fair shares."""
    percent = {s.id: s.percent for s in weights.shares}
    minutes: dict[str, float] = defaultdict(float)
    for day in range(7):
        for slot in roster.shifts_on(day):
            members = roster.members_of(slot.target)
            split = [percent.get(m, 0.0) for m in members]
            if sum(split) <= 0:
                split = [1.0] * len(members)
            for member, part in zip(members, split, strict=True):
                minutes[member] += slot.span.minutes * part / sum(split)
    yearly = {lib: m / 60 * weights.weeks_per_year for lib, m in minutes.items()}
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
