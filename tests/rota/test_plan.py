"""The fair-share planner: largest remainder, pooling of small libraries, grid and comparison."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rota import PlanError, load_roster, parse_roster
from rota.clock import Span
from rota.plan import calendar, compare, largest_remainder, make_plan, week_slots
from rota.weights import DEFAULT_HOURS, Share, Weights, load_weights, parse_weights

from .conftest import PIKI, PIKI_WEIGHTS, SMALL


def weights(**shares: float) -> Weights:
    """Weights with the default Mon–Fri 10–16 hours and 2-hour slots."""
    return Weights(tuple(Share(k, k.title(), v) for k, v in shares.items()), DEFAULT_HOURS)


def test_largest_remainder_is_hamiltons_method():
    assert largest_remainder({"a": 6.75, "b": 4.9, "c": 3.35}, 15) == {"a": 7, "b": 5, "c": 3}
    assert largest_remainder({"a": 1, "b": 1, "c": 1}, 4) == {"a": 2, "b": 1, "c": 1}  # tie: first
    assert largest_remainder({"a": 0, "b": 0}, 3) == {"a": 0, "b": 0}
    assert largest_remainder({"a": 50, "b": 50}, 0) == {"a": 0, "b": 0}


def test_week_slots_cut_hours_into_whole_slots():
    hours = {0: (Span(600, 960),), 5: (Span(600, 750),)}
    assert week_slots(hours, 120) == {
        0: [Span(600, 720), Span(720, 840), Span(840, 960)],
        5: [Span(600, 720)],
    }


def test_piki_weights_reproduce_the_seeds_shape():
    plan = make_plan(load_weights(PIKI_WEIGHTS))
    assert plan.slots_per_week == 15 and plan.weekly_hours == 30 and plan.annual_hours == 1560
    own = {u.id: u.slots for u in plan.units if not u.is_pool}
    assert own == {"tampere": 7, "nokia": 1, "ylojarvi": 1, "kangasala": 1}
    pools = [u for u in plan.units if u.is_pool]
    assert len(pools) == 5 and all(p.slots == 1 for p in pools)
    assert sorted(m for p in pools for m in p.members) == sorted(f.id for f in plan.fair if f.id not in own)
    assert sum(f.hours_per_year for f in plan.fair) == pytest.approx(1560)
    tampere = next(f for f in plan.fair if f.id == "tampere")
    assert tampere.hours_per_year == pytest.approx(702) and tampere.quota == pytest.approx(6.75)


def test_proposed_grid_fills_every_slot_biggest_first():
    plan = make_plan(load_weights(PIKI_WEIGHTS))
    assert sum(len(s) for s in plan.shifts.values()) == 15
    assert [s.target for s in plan.shifts[0]] == ["tampere", "tampere", "pool-1"]
    assert all(day[0].target == "tampere" for day in plan.shifts.values())  # the morning peak
    roster = plan.as_roster()
    assert roster.target_name("pool-1") == "Pool 1"


def test_a_library_below_one_slot_alone_still_gets_a_pool_with_a_slot():
    plan = make_plan(weights(big=97, tiny=3))
    assert [(u.id, u.members, u.slots) for u in plan.units] == [
        ("big", ("big",), 14),
        ("pool-1", ("tiny",), 1),
    ]


def test_pool_ids_do_not_clash_with_library_ids():
    plan = make_plan(weights(**{"pool-1": 94, "a": 3, "b": 3}))
    assert [u.id for u in plan.units] == ["pool-1", "pool-2"]  # the next free number


def test_leftover_minutes_are_reported():
    plan = make_plan(Weights((Share("a", "A", 1),), {0: (Span(600, 990),)}))
    assert plan.slots_per_week == 3 and plan.uncovered_minutes == 30


def test_zero_share_libraries_take_no_shifts():
    plan = make_plan(weights(a=100, z=0))
    assert [u.id for u in plan.units] == ["a"]
    assert next(f for f in plan.fair if f.id == "z").unit == ""


@given(
    st.lists(st.floats(0.01, 100), min_size=1, max_size=30),
    st.sampled_from([60, 90, 120, 180]),
)
def test_plan_properties(shares, slot_minutes):
    w = Weights(tuple(Share(f"l{i}", f"L{i}", s) for i, s in enumerate(shares)), DEFAULT_HOURS, slot_minutes)
    plan = make_plan(w)
    assert sum(u.slots for u in plan.units) == plan.slots_per_week
    members = [m for u in plan.units for m in u.members]
    assert sorted(members) == sorted(s.id for s in w.shares)  # each library in exactly one unit
    for unit in plan.units:
        if not unit.is_pool:
            assert unit.quota >= 1
        else:
            assert all(f.quota < 1 for f in plan.fair if f.id in unit.members)
    assert sum(len(s) for s in plan.shifts.values()) == plan.slots_per_week
    counts: dict[str, int] = {}
    for slots in plan.shifts.values():
        for slot in slots:
            counts[slot.target] = counts.get(slot.target, 0) + 1
    assert counts == {u.id: u.slots for u in plan.units if u.slots}


def test_compare_splits_pool_hours_by_share():
    roster = parse_roster(SMALL)
    rows = {r.id: r for r in compare(roster, weights(big=50, a=30, b=20))}
    # A week: big 5 × 3 h, pool p 5 × 3 h split 30:20 between a and b; 52 weeks a year.
    assert rows["big"].rostered_hours == pytest.approx(15 * 52)
    assert rows["a"].rostered_hours == pytest.approx(15 * 52 * 0.6)
    assert rows["b"].rostered_hours == pytest.approx(15 * 52 * 0.4)
    assert rows["a"].fair_hours == pytest.approx(30 * 52 * 0.3)
    assert rows["big"].difference == pytest.approx(15 * 52 - 30 * 52 * 0.5)


def test_compare_lists_libraries_missing_from_either_side():
    roster = parse_roster(SMALL)
    rows = {r.id: r for r in compare(roster, weights(big=50, elsewhere=50))}
    assert rows["elsewhere"].rostered_hours == 0
    assert rows["a"].percent == 0 and rows["a"].rostered_hours > 0  # pool split evenly


def test_weights_file_forms():
    w = parse_weights("libraries: {a: 60, b: {name: Bee, share: 40}}\nhours: {sat: '10:00-14:00'}\n")
    assert w.shares == (Share("a", "a", 60.0), Share("b", "Bee", 40.0))
    assert w.hours == {5: (Span(600, 840),)}
    assert (w.slot_minutes, w.weeks_per_year) == (120, 52)
    assert parse_weights("libraries: {a: 1}\nslot_hours: 1.5\n").slot_minutes == 90


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("libraries: {a: -1}", "libraries.a: expected a share"),
        ("libraries: {a: yes}", "libraries.a: expected a share"),
        ("libraries: {A B: 1}", "lower-case ASCII"),
        ("libraries: []", "expected a mapping of library id"),
        ("libraries: {}", "no libraries with a share"),
        ("libraries: {a: 1}\nslot_hours: 30", "slot_hours: expected hours per slot"),
        ("libraries: {a: 1}\nweeks_per_year: 0", "weeks_per_year: expected a whole number"),
        ("libraries: {a: 1}\nhours: {mon: '9-17'}", "hours.mon: malformed time '9'"),
        ("libraries: {a: 1", "YAML syntax error"),
        ("- a list", "a weights file is a mapping"),
    ],
)
def test_weights_errors(text, message):
    with pytest.raises(PlanError) as info:
        parse_weights(text, "w.yaml")
    assert message in str(info.value)
    assert str(info.value).startswith("w.yaml")


def test_load_weights_missing_file(tmp_path):
    with pytest.raises(PlanError, match="cannot read the weights"):
        load_weights(tmp_path / "none.yaml")


def test_proposed_pools_never_reuse_an_existing_pool_id_for_other_members():
    """Issue 18: `plan` proposed pool-1…5 while the roster has pool-1…5 with other members."""
    existing = load_roster(PIKI)
    plan = make_plan(load_weights(PIKI_WEIGHTS), existing=existing)
    for unit in (u for u in plan.units if u.is_pool):
        if unit.id in existing.pools:
            assert set(existing.pools[unit.id].members) == set(unit.members), unit
        assert unit.id not in existing.libraries
    assert len({u.id for u in plan.units}) == len(plan.units)


def test_a_proposed_pool_with_the_same_members_keeps_its_id_and_name():
    existing = parse_roster(SMALL)  # pool p = a + b
    plan = make_plan(weights(big=94, a=3, b=3), existing=existing)
    assert [(u.id, u.name, set(u.members)) for u in plan.units if u.is_pool] == [("p", "Pool P", {"a", "b"})]


def test_a_new_pool_gets_the_next_free_number():
    existing = parse_roster(
        SMALL.replace("  p: {name: Pool P", "  pool-1: {name: Pool 1").replace(
            '"13:00-16:00": p}', '"13:00-16:00": pool-1}'
        )
    )
    plan = make_plan(weights(big=94, a=3, c=3), existing=existing)  # a + c: not pool-1 (a + b)
    assert [u.id for u in plan.units if u.is_pool] == ["pool-2"]


def test_the_calendar_leaves_closed_days_and_holidays_out():
    roster = parse_roster(SMALL)  # Mon–Fri; closed 29 Jun–31 Jul 2026, 13 Feb 2026; FI holidays
    year = calendar(roster, 2026)
    weekdays = sum(year.open_days[day] for day in range(5))
    assert weekdays == 261 - 25 - 1 - len(FI_WEEKDAY_HOLIDAYS_2026)
    assert year.closed_on({0, 1, 2, 3, 4}) == 25 + 1 + len(FI_WEEKDAY_HOLIDAYS_2026)


FI_WEEKDAY_HOLIDAYS_2026 = ["01-01", "01-06", "04-03", "04-06", "05-01", "05-14", "06-19", "12-24", "12-25"]


def test_hours_a_year_count_the_closed_weeks():
    """Issue 18: "1560 h a year" (30 h × 52) ignored the summer break and the holidays."""
    roster = load_roster(PIKI)
    year = calendar(roster, 2026)
    plan = make_plan(load_weights(PIKI_WEIGHTS), existing=roster, year=year)
    open_days = 261 - 25 - len(FI_WEEKDAY_HOLIDAYS_2026)  # weekdays, summer break, holidays
    assert plan.annual_hours == pytest.approx(open_days * 6)
    assert sum(f.hours_per_year for f in plan.fair) == pytest.approx(open_days * 6)
    rows = compare(roster, load_weights(PIKI_WEIGHTS), year)
    assert sum(r.rostered_hours for r in rows) == pytest.approx(open_days * 6)
    assert sum(r.fair_hours for r in rows) == pytest.approx(open_days * 6)
