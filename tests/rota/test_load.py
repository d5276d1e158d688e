"""Reading roster files into the model."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rota import Library, Pool, RosterError, check_roster, load_roster, parse_roster
from rota.clock import Span
from rota.model import DateRange, Slot

from .conftest import PIKI, SMALL


def test_piki_example_has_the_seeds_libraries_pools_and_desks(piki):
    assert len(piki.libraries) == 22
    assert len(piki.pools) == 5
    assert len(piki.all_desks) == 36
    assert all(lib.desks for lib in piki.libraries.values())
    assert all(d.endswith("@chat.piki.example") and d.isascii() for d in piki.all_desks)
    assert piki.pools["pool-5"].members == (
        "juupajoki",
        "kihnio",
        "orivesi",
        "parkano",
        "sastamala",
        "urjala",
    )
    assert piki.libraries["akaa"].phone == "040 335 3600"
    assert piki.libraries["hameenkyro"].name == "Hämeenkyrö"
    assert piki.fallback == ("tampere",)
    assert piki.coordinators == ("coordinator@chat.piki.example",)
    assert piki.public_holidays == "FI"
    assert piki.timezone == ZoneInfo("Europe/Helsinki")
    assert piki.rollover_seconds == 30
    assert piki.warnings == ()


def test_piki_grid_is_the_autumn_2018_rota(piki):
    def row(start: int) -> list[str]:
        return [next(s.target for s in piki.shifts_on(d) if s.span.start == start * 60) for d in range(5)]

    assert row(10) == ["tampere"] * 5
    assert row(12) == ["tampere", "nokia", "pool-2", "ylojarvi", "pool-5"]
    assert row(14) == ["tampere", "pool-1", "pool-3", "pool-4", "kangasala"]


def test_small_roster_fields(small):
    assert small.libraries["big"] == Library(
        "big", "Big", ("big@chat.example", "big-2@chat.example"), None, "https://big.example"
    )
    assert small.libraries["a"].phone == "040 1"
    assert small.pools == {"p": Pool("p", "Pool P", ("a", "b"))}
    assert small.hours_on(0) == (Span(600, 960),)
    assert small.hours_on(5) == ()
    assert small.shifts_on(4) == (Slot(Span(600, 780), "big"), Slot(Span(780, 960), "p"))
    assert small.closed == (
        DateRange(dt.date(2026, 6, 29), dt.date(2026, 7, 31)),
        DateRange(dt.date(2026, 2, 13), dt.date(2026, 2, 13)),
    )


def test_lookups(small):
    assert small.target_name("p") == "Pool P"
    assert small.target_name("big") == "Big"
    assert small.target_name("nope") == "nope"
    assert small.desks_of("p") == ("a@chat.example", "b@chat.example")
    assert small.desks_of("big") == ("big@chat.example", "big-2@chat.example")
    assert small.desks_of("nope") == ()
    assert small.library_of_desk("big-2@chat.example") == "big"
    assert small.library_of_desk("BIG-2@Chat.Example") == "big"
    assert small.library_of_desk("stranger@chat.example") is None
    assert small.pool_of("a") == "p"
    assert small.pool_of("big") is None


def test_defaults_for_optional_keys():
    roster = parse_roster("libraries: {x: {desks: [x@c.example]}}\nfallback: [x]\n")
    assert roster.timezone.key == "Europe/Helsinki"
    assert roster.libraries["x"].name == "x"
    assert roster.pools == {}
    assert roster.rollover_seconds == 30
    assert roster.coordinators == ()
    assert roster.public_holidays is None


def test_yaml_12_scalars_no_and_sexagesimal_stay_text():
    roster = parse_roster(
        "public_holidays: NO\n"
        "hours: {mon: 10:00-16:00}\n"
        "libraries: {on: {name: no, desks: [on@c.example], phone: 0401234}}\n"
        "shifts: {mon: {10:00-16:00: on}}\n"
    )
    assert roster.public_holidays == "NO"
    assert roster.libraries["on"].name == "no"
    assert roster.libraries["on"].phone == "0401234"
    assert roster.hours_on(0) == (Span(600, 960),)


def test_hours_as_list_of_spans_and_24_00():
    roster = parse_roster(
        "hours: {sat: ['08:00-12:00', '20:00-24:00'], sun: closed}\n"
        "libraries: {x: {desks: [x@c.example]}}\n"
        "shifts: {sat: {'08:00-12:00': x, '20:00-24:00': x}}\n"
    )
    assert roster.hours_on(5) == (Span(480, 720), Span(1200, 1440))
    assert roster.hours_on(6) == ()


def test_desks_are_lower_cased():
    roster = parse_roster("libraries: {x: {desks: [X@Chat.Example]}}")
    assert roster.libraries["x"].desks == ("x@chat.example",)


def test_unknown_keys_are_warnings_not_errors():
    roster, problems = check_roster("colour: blue\nlibraries: {x: {desks: [x@c.example], tel: 1}}\n")
    assert roster is not None
    assert [(p.path, p.line, p.warning) for p in problems] == [
        ("colour", 1, True),
        ("libraries.x.tel", 2, True),
        ("hours", None, True),
    ]
    assert "no service hours" in problems[-1].message
    assert roster.warnings == tuple(problems)


def test_load_roster_missing_file(tmp_path):
    with pytest.raises(RosterError) as info:
        load_roster(tmp_path / "nope.yaml")
    assert "cannot read" in str(info.value)
    assert info.value.problems[0].source.endswith("nope.yaml")


def test_load_roster_names_the_file(tmp_path):
    path = tmp_path / "rota.yaml"
    text = SMALL.replace("fallback: [big]", "fallback: [bog]")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("fallback: [bog]") + 1
    with pytest.raises(RosterError) as info:
        load_roster(path)
    assert str(info.value.problems[0]).startswith(f"{path}:{line}: fallback[0]: unknown library")


def test_roster_error_lists_every_problem():
    with pytest.raises(RosterError) as info:
        parse_roster("libraries: {x: {desks: [bad]}}\nfallback: [y, z]\n", source="r.yaml")
    text = str(info.value)
    assert text.splitlines()[0] == "3 problems in roster"
    assert "r.yaml:1: libraries.x.desks[0]: 'bad' is not a bare JID" in text
    assert "r.yaml:2: fallback[0]: unknown library or pool 'y'" in text
    assert "r.yaml:2: fallback[1]: unknown library or pool 'z'" in text


def test_piki_file_is_utf8_and_checks_clean():
    roster, problems = check_roster(PIKI.read_text(encoding="utf-8"), str(PIKI))
    assert roster is not None and problems == []


def test_a_library_may_name_its_desks_language():
    roster = parse_roster(
        "libraries: {x: {desks: [x@c.example], lang: sv}, y: {desks: [y@c.example]}}\nfallback: [x]\n"
    )
    assert roster.libraries["x"].lang == "sv"
    assert roster.libraries["y"].lang is None


def test_a_library_language_other_than_fi_sv_en_is_an_error():
    with pytest.raises(RosterError) as info:
        parse_roster("libraries: {x: {desks: [x@c.example], lang: de}}\nfallback: [x]\n", source="r.yaml")
    assert "r.yaml:1: libraries.x.lang: expected fi, sv or en, got 'de'" in str(info.value)
