"""Property-based tests of the decision over random rosters and random instants."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rota import Library, Pool, Roster, check_roster
from rota.clock import WEEKDAYS, Span, minute_of_day
from rota.decide import chain, is_open, next_closing, next_opening, on_duty, route
from rota.model import DateRange, Slot

ZONES = ["Europe/Helsinki", "UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]
STEP = 30  # minutes: slot boundaries on the half hour

settings.register_profile("rota", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("rota-long", parent=settings.get_profile("rota"), max_examples=3000)
settings.load_profile(os.environ.get("ROTA_HYPOTHESIS_PROFILE", "rota"))


@st.composite
def spans_of_day(draw: st.DrawFn) -> tuple[Span, ...]:
    """Zero to two non-overlapping, non-touching spans of one day."""
    points = draw(st.lists(st.integers(0, 1440 // STEP), min_size=0, max_size=4, unique=True))
    points = sorted(points)[: len(points) // 2 * 2]
    spans = [Span(a * STEP, b * STEP) for a, b in zip(points[::2], points[1::2], strict=True)]
    return tuple(s for i, s in enumerate(spans) if i == 0 or spans[i - 1].end < s.start)


@st.composite
def rosters(draw: st.DrawFn, gaps: bool = False) -> Roster:
    """A valid roster (with `gaps`, some service hours may have nobody on duty)."""
    n_libs = draw(st.integers(1, 5))
    libraries = {
        f"lib{i}": Library(
            f"lib{i}", f"Library {i}", tuple(f"lib{i}-d{k}@c.example" for k in range(draw(st.integers(1, 3))))
        )
        for i in range(n_libs)
    }
    ids = list(libraries)
    pooled = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_libs))
    cut = draw(st.integers(0, len(pooled)))
    groups = [g for g in (pooled[:cut], pooled[cut:]) if g]
    pools = {f"pool{i}": Pool(f"pool{i}", f"Pool {i}", tuple(g)) for i, g in enumerate(groups)}
    targets = ids + list(pools)
    hours: dict[int, tuple[Span, ...]] = {}
    shifts: dict[int, tuple[Slot, ...]] = {}
    for day in range(7):
        spans = draw(spans_of_day())
        if not spans:
            continue
        hours[day] = spans
        slots = []
        for span in spans:
            inner = range(span.start // STEP + 1, span.end // STEP)
            cuts = sorted(draw(st.lists(st.sampled_from(inner), unique=True, max_size=3))) if inner else []
            edges = [span.start, *(c * STEP for c in cuts), span.end]
            for a, b in pairwise(edges):
                if gaps and draw(st.booleans()):
                    continue
                slots.append(Slot(Span(a, b), draw(st.sampled_from(targets))))
        if slots:
            shifts[day] = tuple(slots)
    closed = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(st.dates(date(2024, 1, 1), date(2028, 12, 31)))
        closed.append(DateRange(first, first + timedelta(days=draw(st.integers(0, 40)))))
    return Roster(
        timezone=ZoneInfo(draw(st.sampled_from(ZONES))),
        libraries=libraries,
        pools=pools,
        hours=hours,
        shifts=shifts,
        closed=tuple(closed),
        public_holidays=draw(st.sampled_from([None, "FI"])),
        fallback=tuple(draw(st.lists(st.sampled_from(targets), unique=True, max_size=3))),
    )


offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
instants = st.builds(
    lambda naive, tz: naive.replace(tzinfo=UTC).astimezone(tz),
    st.datetimes(datetime(2024, 1, 1), datetime(2028, 12, 31)),
    offsets,
)


@st.composite
def availability(draw: st.DrawFn, roster: Roster) -> set[str]:
    """Some of the roster's desks (maybe with a resource or odd case) and some strangers."""
    desks = draw(st.lists(st.sampled_from(roster.all_desks), unique=True))
    shown = {d if draw(st.booleans()) else d.upper() + "/seat" for d in desks}
    return shown | set(draw(st.lists(st.sampled_from(["x@evil.example", "lib0@other.example"]))))


def local_open(roster: Roster, instant: datetime) -> bool:
    """Reference: the local date is not closed and the wall time is inside that day's hours."""
    local = instant.astimezone(roster.timezone)
    if roster.is_closed_day(local.date()):
        return False
    return any(s.contains(minute_of_day(local)) for s in roster.hours_on(local.weekday()))


@given(st.data())
def test_never_offers_an_unknown_or_unavailable_desk(data):
    roster = data.draw(rosters(gaps=True))
    instant = data.draw(instants)
    available = data.draw(availability(roster))
    decision = route(roster, instant, available)
    free = {a.split("/")[0].lower() for a in available}
    for step in decision.steps:
        assert step.desks, "steps without desks are omitted"
        assert set(step.desks) <= set(roster.desks_of(step.target))
        assert set(step.desks) <= free
    assert set(decision.desks) <= set(roster.all_desks)
    assert len(decision.desks) == len(set(decision.desks))
    assert [s.target for s in decision.steps] == [
        t for t in decision.chain if roster.desks_of(t) and any(d in free for d in roster.desks_of(t))
    ]


@given(st.data())
def test_closed_outside_hours_and_on_closed_days(data):
    roster = data.draw(rosters(gaps=True))
    instant = data.draw(instants)
    assert is_open(roster, instant) == local_open(roster, instant)
    decision = route(roster, instant, roster.all_desks)
    assert decision.open == local_open(roster, instant)
    if not decision.open:
        assert decision.steps == () and decision.on_duty is None
        assert chain(roster, instant) == ()
        if decision.next_opening is not None:
            assert decision.next_opening > instant
            assert is_open(roster, decision.next_opening)


@st.composite
def instants_in_a_shift(draw: st.DrawFn, roster: Roster) -> datetime:
    """An instant whose local wall time is inside some shift (the day may still be closed)."""
    assume(roster.shifts)
    day = draw(st.sampled_from(sorted(roster.shifts)))
    slot = draw(st.sampled_from(roster.shifts[day]))
    some_day = draw(st.dates(date(2024, 1, 1), date(2028, 12, 24)))
    some_day += timedelta(days=(day - some_day.weekday()) % 7)
    minute = draw(st.integers(slot.span.start, slot.span.end - 1))
    wall = datetime.combine(some_day, datetime.min.time()) + timedelta(minutes=minute)
    return wall.replace(tzinfo=roster.timezone, fold=draw(st.integers(0, 1))).astimezone(draw(offsets))


@given(st.data())
def test_the_shifts_owner_comes_first(data):
    roster = data.draw(rosters())
    instant = data.draw(instants_in_a_shift(roster))
    available = data.draw(availability(roster))
    assume(is_open(roster, instant))
    local = instant.astimezone(roster.timezone)
    owner = next(s.target for s in roster.shifts_on(local.weekday()) if s.span.contains(minute_of_day(local)))
    assert on_duty(roster, instant) == owner
    assert chain(roster, instant)[0] == owner
    decision = route(roster, instant, available)
    free = {a.split("/")[0].lower() for a in available}
    owner_desks = tuple(d for d in roster.desks_of(owner) if d in free)
    if owner_desks:
        assert decision.steps[0].target == owner
        assert decision.steps[0].desks == owner_desks
    else:
        assert all(step.target != owner for step in decision.steps)


@given(st.data())
def test_chain_is_duty_then_fallback_without_duplicates(data):
    roster = data.draw(rosters(gaps=True))
    instant = data.draw(instants)
    ids = chain(roster, instant)
    assert len(ids) == len(set(ids))
    if ids:
        duty = on_duty(roster, instant)
        expected = ([duty] if duty else []) + [t for t in roster.fallback if t != duty]
        assert list(ids) == expected


@given(st.data())
def test_next_opening_is_the_first_opening(data):
    roster = data.draw(rosters())
    instant = data.draw(instants)
    fraction = data.draw(st.floats(0, 1, exclude_max=True))
    opening = next_opening(roster, instant)
    if opening is None:
        return
    assert opening.tzinfo == roster.timezone
    utc = opening.astimezone(UTC)
    assert utc > instant
    assert is_open(roster, utc) and not is_open(roster, utc - timedelta(microseconds=1))
    if not is_open(roster, instant):
        between = min(instant + (utc - instant) * fraction, utc - timedelta(microseconds=1))
        assert not is_open(roster, between)


@given(st.data())
def test_next_closing_ends_the_current_period(data):
    roster = data.draw(rosters())
    instant = data.draw(instants)
    fraction = data.draw(st.floats(0, 1, exclude_max=True))
    closing = next_closing(roster, instant)
    if not is_open(roster, instant):
        assert closing is None
        return
    if closing is None:
        return
    utc = closing.astimezone(UTC)
    assert utc > instant and not is_open(roster, utc)
    assert is_open(roster, min(instant + (utc - instant) * fraction, utc - timedelta(microseconds=1)))


def to_yaml(roster: Roster) -> str:
    """A roster as rota.yaml text."""
    data = {
        "timezone": roster.timezone.key,
        "hours": {WEEKDAYS[d]: [str(s) for s in spans] for d, spans in roster.hours.items()},
        "closed": [str(r) for r in roster.closed],
        "libraries": {
            lib.id: {"name": lib.name, "desks": list(lib.desks)} for lib in roster.libraries.values()
        },
        "pools": {p.id: {"name": p.name, "members": list(p.members)} for p in roster.pools.values()},
        "shifts": {WEEKDAYS[d]: {str(s.span): s.target for s in slots} for d, slots in roster.shifts.items()},
        "fallback": list(roster.fallback),
    }
    if roster.public_holidays:
        data["public_holidays"] = roster.public_holidays
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@given(rosters())
def test_valid_rosters_pass_the_checks_and_read_back_the_same(roster):
    parsed, problems = check_roster(to_yaml(roster), "r.yaml")
    assert [p for p in problems if not p.warning] == []
    assert parsed is not None
    assert parsed.libraries == roster.libraries and parsed.pools == roster.pools
    assert parsed.hours == roster.hours and parsed.shifts == roster.shifts
    assert parsed.closed == roster.closed and parsed.fallback == roster.fallback


@given(rosters(gaps=True))
def test_gaps_are_always_found(roster):
    _, problems = check_roster(to_yaml(roster), "r.yaml")
    has_gap = any(
        sum(s.minutes for s in roster.hours_on(d)) != sum(s.span.minutes for s in roster.shifts_on(d))
        for d in range(7)
    )
    assert has_gap == any("nobody on duty" in p.message for p in problems)
