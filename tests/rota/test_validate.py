"""Every validation error is reported, with file, key path and line."""

from __future__ import annotations

import pytest

from rota import RosterError, check_roster, parse_roster

BASE = """\
timezone: Europe/Helsinki
hours:
  mon: "10:00-16:00"
  tue: "10:00-16:00"
libraries:
  big: {name: Big, desks: [big@chat.example]}
  a: {name: A, desks: [a@chat.example]}
  b: {name: B, desks: [b@chat.example]}
pools:
  p: {name: P, members: [a, b]}
shifts:
  mon:
    "10:00-13:00": big
    "13:00-16:00": p
  tue: {"10:00-16:00": big}
fallback: [big]
"""


def problems(text: str) -> list[tuple[str, int | None, str]]:
    """(key path, line, message) of every error in a roster text."""
    roster, found = check_roster(text, "rota.yaml")
    errors = [(p.path, p.line, p.message) for p in found if not p.warning]
    assert (roster is None) == bool(errors)
    return errors


def only(text: str) -> tuple[str, int | None, str]:
    """The single error of a roster text."""
    errors = problems(text)
    assert len(errors) == 1, errors
    return errors[0]


def test_base_is_valid():
    assert problems(BASE) == []


def test_unknown_library_in_a_shift():
    path, line, message = only(BASE.replace('"13:00-16:00": p', '"13:00-16:00": q'))
    assert (path, line) == ("shifts.mon.13:00-16:00", 14)
    assert message.startswith("unknown library or pool 'q'")


def test_unknown_id_in_fallback():
    assert only(BASE.replace("fallback: [big]", "fallback: [big, nobody]"))[:2] == ("fallback[1]", 16)


@pytest.mark.parametrize("day", ["mo", "funday", "fri-mon", "mon-"])
def test_unknown_weekday_in_hours(day):
    text = BASE.replace('  tue: "10:00-16:00"', f'  {day}: "10:00-16:00"')
    text = text.replace('  tue: {"10:00-16:00": big}\n', "")
    path, line, message = only(text)
    assert (path, line) == (f"hours.{day}", 4)
    assert message.startswith(f"unknown weekday {day!r}")


def test_unknown_weekday_in_shifts():
    path, line, message = only(
        BASE.replace('  tue: {"10:00-16:00": big}', '  tue: {"10:00-16:00": big}\n  tues: {}')
    )
    assert (path, line) == ("shifts.tues", 16)
    assert "unknown weekday" in message


def test_weekday_given_twice():
    path, line, message = only(
        BASE.replace('  tue: "10:00-16:00"', '  tue: "10:00-16:00"\n  mon-tue: "10:00-16:00"')
    )
    assert (path, line) == ("hours.mon-tue", 5)
    assert message == "'mon-tue' repeats a weekday already given at hours.mon, hours.tue"


@pytest.mark.parametrize(
    ("span", "reason"),
    [
        ("10-16", "malformed time '10' (expected HH:MM)"),
        ("10:00-16", "malformed time '16'"),
        ("25:00-26:00", "malformed time '25:00'"),
        ("10:60-11:00", "malformed time '10:60'"),
        ("16:00-10:00", "ends before it starts"),
        ("10:00-10:00", "ends before it starts"),
        ("24:00-24:00", "24:00 may only end a range"),
        ("10:00-24:30", "malformed time '24:30'"),
        ("ten to four", "malformed time range"),
    ],
)
def test_malformed_times_in_hours(span, reason):
    path, line, message = only(BASE.replace('  tue: "10:00-16:00"', f'  tue: "{span}"'))
    assert (path, line) == ("hours.tue", 4)
    assert reason in message


def test_malformed_time_in_a_slot():
    path, line, message = only(BASE.replace('"13:00-16:00": p', '"13.00-16.00": p'))
    assert (path, line) == ("shifts.mon.13.00-16.00", 14)
    assert message == "malformed time '13.00' (expected HH:MM)"


def test_hours_that_are_not_text():
    path, _, message = only(BASE.replace('  tue: "10:00-16:00"', "  tue: {from: 10}"))
    assert path == "hours.tue" and "expected a time range" in message


def test_overlapping_slots():
    path, line, message = only(BASE.replace('"13:00-16:00": p', '"12:00-16:00": p'))
    assert (path, line) == ("shifts.mon.12:00-16:00", 14)
    assert message == "mon: slot 12:00-16:00 overlaps slot 10:00-13:00"


def test_overlapping_hours():
    text = BASE.replace('  tue: "10:00-16:00"', '  tue: ["10:00-16:00", "15:00-17:00"]')
    text = text.replace('{"10:00-16:00": big}', '{"10:00-16:00": big, "16:00-17:00": big}')
    path, line, message = only(text)
    assert (path, line) == ("hours.tue", 4)
    assert message == "tue: hours 15:00-17:00 overlap 10:00-16:00"


def test_slot_outside_hours():
    path, line, message = only(BASE.replace('"13:00-16:00": p', '"13:00-16:00": p\n    "16:00-18:00": a'))
    assert (path, line) == ("shifts.mon.16:00-18:00", 15)
    assert message == "mon: slot 16:00-18:00 is outside service hours (10:00-16:00): 16:00-18:00"


def test_slot_partly_outside_hours():
    path, _, message = only(BASE.replace('"10:00-13:00": big', '"09:00-13:00": big'))
    assert path == "shifts.mon.09:00-13:00"
    assert message.endswith("(10:00-16:00): 09:00-10:00")


def test_slot_on_a_day_without_hours():
    path, line, message = only(
        BASE.replace("fallback:", 'sat: {"10:00-12:00": big}\nfallback:').replace("\nsat:", "\n  sat:")
    )
    assert (path, line) == ("shifts.sat.10:00-12:00", 16)
    assert message == "sat: slot 10:00-12:00 is outside service hours (none that day)"


def test_gap_inside_hours():
    path, line, message = only(BASE.replace('"13:00-16:00": p', '"14:00-16:00": p'))
    assert (path, line) == ("shifts.mon", 12)
    assert message == "mon: nobody on duty 13:00-14:00 (inside service hours)"


def test_open_day_without_any_shift_is_one_gap():
    text = BASE.replace('  tue: {"10:00-16:00": big}\n', "")
    assert only(text) == ("hours.tue", 4, "tue: nobody on duty 10:00-16:00 (inside service hours)")


def test_library_in_two_pools():
    path, line, message = only(
        BASE.replace(
            "  p: {name: P, members: [a, b]}", "  p: {name: P, members: [a, b]}\n  q: {name: Q, members: [b]}"
        )
    )
    assert (path, line) == ("pools.q.members[0]", 11)
    assert message == "library 'b' is already in pool 'p'"


def test_empty_pool():
    text = BASE.replace(
        "  p: {name: P, members: [a, b]}", "  p: {name: P, members: [a, b]}\n  e: {name: E, members: []}"
    )
    assert only(text)[:3] == ("pools.e.members", 11, "empty pool: list at least one member library")


def test_pool_without_members_key_is_empty():
    text = BASE.replace("  p: {name: P, members: [a, b]}", "  p: {name: P, members: [a, b]}\n  e: {name: E}")
    assert only(text)[2] == "empty pool: list at least one member library"


def test_pool_member_unknown_or_a_pool():
    text = BASE.replace("members: [a, b]", "members: [a, b, zz, p]")
    assert problems(text) == [
        ("pools.p.members[2]", 10, "member 'zz' is an unknown library"),
        ("pools.p.members[3]", 10, "member 'p' is a pool, not a library"),
    ]


@pytest.mark.parametrize(
    "desk",
    [
        "big@chat.example/desk-1",
        "big",
        "big @chat.example",
        "'@chat.example'",
        "big@",
        "a@b@c.example",
        "big@chat_example",
        "''",
    ],
)
def test_desk_that_is_not_a_bare_jid(desk):
    path, line, message = only(BASE.replace("desks: [big@chat.example]", f"desks: [{desk}]"))
    assert (path, line) == ("libraries.big.desks[0]", 6)
    assert "is not a bare JID" in message


def test_desk_with_resource_gets_a_hint():
    text = BASE.replace("desks: [big@chat.example]", "desks: [big@chat.example/desk]")
    assert only(text)[2].endswith("(no /resource)")


def test_desk_in_two_libraries():
    path, line, message = only(BASE.replace("desks: [b@chat.example]", "desks: [A@chat.example]"))
    assert (path, line) == ("libraries.b.desks[0]", 8)
    assert message == "desk 'a@chat.example' already belongs to library 'a'"


def test_desk_listed_twice_in_one_library():
    text = BASE.replace("desks: [big@chat.example]", "desks: [big@chat.example, big@chat.example]")
    assert only(text)[:2] == ("libraries.big.desks[1]", 6)


def test_library_without_desks():
    assert only(BASE.replace("desks: [big@chat.example]", "desks: []"))[:2] == ("libraries.big.desks", 6)
    missing = only(BASE.replace("{name: Big, desks: [big@chat.example]}", "{name: Big}"))
    assert missing[:2] == ("libraries.big", 6) and "missing desks" in missing[2]


def test_bad_ids():
    text = BASE.replace("  a: {name: A", "  Ä b: {name: A").replace("members: [a, b]", "members: [Ä b, b]")
    path, line, message = only(text)
    assert (path, line) == ("libraries.Ä b", 7)
    assert "lower-case ASCII" in message


def test_pool_id_equal_to_a_library_id():
    text = BASE.replace("  p: {name: P, members: [a, b]}", "  big: {name: P, members: [a, b]}")
    text = text.replace('"13:00-16:00": p', '"13:00-16:00": big')
    assert only(text) == ("pools.big", 10, "pool id 'big' is also a library id")


def test_bad_url_and_coordinator():
    text = BASE.replace(
        "{name: A, desks: [a@chat.example]}", "{name: A, desks: [a@chat.example], url: www.a.fi}"
    )
    text += "coordinators: [boss]\n"
    assert [e[:2] for e in problems(text)] == [("libraries.a.url", 7), ("coordinators[0]", 17)]


@pytest.mark.parametrize(
    ("line", "path", "reason"),
    [
        ("timezone: Mars/Olympus", "timezone", "unknown time zone"),
        ("closed: [2026-02-30]", "closed[0]", "malformed value '2026-02-30'"),
        ("closed: ['2026-02-30']", "closed[0]", "malformed date"),
        ("closed: [2026-12-26..2026-12-24]", "closed[0]", "ends before it starts"),
        ("closed: [christmas]", "closed[0]", "malformed date"),
        ("public_holidays: XX", "public_holidays", "no public holidays known"),
        ("public_holidays: FI-ZZ", "public_holidays", "unknown subdivision"),
        ("rollover_seconds: -5", "rollover_seconds", "whole number of seconds"),
        ("rollover_seconds: soon", "rollover_seconds", "whole number of seconds"),
    ],
)
def test_bad_top_level_values(line, path, reason):
    text = BASE.replace("timezone: Europe/Helsinki", line)
    found_path, found_line, message = only(text)
    assert (found_path, found_line) == (path, 1)
    assert reason in message


def test_yaml_syntax_error_has_a_line():
    errors = problems(
        BASE.replace("  a: {name: A, desks: [a@chat.example]}", "  a: {name: A, desks: [a@chat.example}")
    )
    assert len(errors) == 1
    assert errors[0][1] == 7 and errors[0][2].startswith("YAML syntax error")


def test_duplicate_key_has_a_line():
    text = BASE.replace('"13:00-16:00": p', '"13:00-16:00": p\n    "13:00-16:00": a')
    assert problems(text)[0] == ("shifts.mon.13:00-16:00", 15, "duplicate key '13:00-16:00'")


def test_not_a_mapping_and_no_libraries():
    assert problems("- just\n- a list\n")[0][2].startswith("a roster is a mapping")
    assert problems("timezone: UTC\n") == [("libraries", None, "no libraries: a roster needs at least one")]


def test_all_problems_are_reported_at_once_with_file_names():
    text = BASE.replace("fallback: [big]", "fallback: [nobody]").replace(
        '"13:00-16:00": p', '"14:00-16:00": q'
    )
    with pytest.raises(RosterError) as info:
        parse_roster(text, source="piki/rota.yaml")
    lines = str(info.value).splitlines()
    assert lines[0] == "3 problems in roster"
    assert lines[1:] == [
        "  piki/rota.yaml:12: shifts.mon: mon: nobody on duty 13:00-14:00 (inside service hours)",
        "  piki/rota.yaml:14: shifts.mon.14:00-16:00: unknown library or pool 'q' (known: big, a, b, p)",
        "  piki/rota.yaml:16: fallback[0]: unknown library or pool 'nobody' (known: big, a, b, p)",
    ]


def test_no_follow_on_noise_from_a_malformed_slot():
    text = BASE.replace('"13:00-16:00": p', '"13:00-1600": p')
    assert len(problems(text)) == 1


def test_weekday_ranges_report_timetable_problems_once():
    text = BASE.replace('  mon: "10:00-16:00"\n  tue: "10:00-16:00"', '  mon-tue: "10:00-16:00"')
    text = text.replace('  tue: {"10:00-16:00": big}', "").replace("  mon:\n", "  mon-tue:\n")
    text = text.replace('"13:00-16:00": p', '"14:00-16:00": p')
    assert only(text) == ("shifts.mon-tue", 11, "mon-tue: nobody on duty 13:00-14:00 (inside service hours)")


def test_days_named_separately_are_listed():
    text = BASE.replace('  tue: {"10:00-16:00": big}', '  tue: {"10:00-15:00": big}')
    text = text.replace('"13:00-16:00": p', '"13:00-15:00": p').replace(
        '  tue: "10:00-16:00"', '  tue: "10:00-16:00"\n  thu: "10:00-16:00"'
    )
    text = text.replace("fallback:", '  thu: {"10:00-15:00": big}\nfallback:')
    errors = problems(text)
    assert [e[2] for e in errors] == [
        "mon: nobody on duty 15:00-16:00 (inside service hours)",
        "tue: nobody on duty 15:00-16:00 (inside service hours)",
        "thu: nobody on duty 15:00-16:00 (inside service hours)",
    ]


def test_weekday_ranges_report_once():
    text = BASE.replace('  mon: "10:00-16:00"\n  tue: "10:00-16:00"', '  mon-tue: "10:00-16:00"')
    text = text.replace('  tue: {"10:00-16:00": big}', "").replace("  mon:\n", "  mon-tue:\n")
    text = text.replace('"13:00-16:00": p', '"13:00-16:00": zz')
    errors = problems(text)
    assert len(errors) == 1 and errors[0][0] == "shifts.mon-tue.13:00-16:00"
