"""The routing decision: open or closed, who is on duty, whom to offer a chat, next opening."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rota import Library, Pool, Roster, parse_roster
from rota.clock import Span
from rota.decide import (
    Decision,
    Step,
    chain,
    hours_text,
    is_open,
    next_closing,
    next_opening,
    on_duty,
    route,
)
from rota.model import DateRange, Slot
from rota.text import when_text

HKI = ZoneInfo("Europe/Helsinki")


def at(text: str) -> datetime:
    """An aware instant from ISO text."""
    return datetime.fromisoformat(text)


def night_roster(hours: str, **extra: object) -> Roster:
    """A roster open only on Sundays in the given hours (for DST nights)."""
    text = (
        f'hours: {{sun: "{hours}"}}\n'
        "libraries: {x: {desks: [x@c.example]}}\n"
        f'shifts: {{sun: {{"{hours}": x}}}}\n'
    )
    text += "".join(f"{k}: {v}\n" for k, v in extra.items())
    return parse_roster(text)


# --- open, on duty, chain -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "duty"),
    [
        ("2026-03-02T10:00:00+02:00", "tampere"),  # Monday, first minute
        ("2026-03-02T15:59:59+02:00", "tampere"),
        ("2026-03-03T12:00:00+02:00", "nokia"),
        ("2026-03-03T14:00:00+02:00", "pool-1"),
        ("2026-03-04T12:30:00+02:00", "pool-2"),
        ("2026-03-04T14:30:00+02:00", "pool-3"),
        ("2026-03-05T13:59:00+02:00", "ylojarvi"),
        ("2026-03-05T15:00:00+02:00", "pool-4"),
        ("2026-03-06T12:00:00+02:00", "pool-5"),
        ("2026-03-06T14:00:00+02:00", "kangasala"),
        ("2026-03-06T12:00:00Z", "kangasala"),  # 14:00 in Helsinki
        ("2026-03-06T07:00:00-05:00", "kangasala"),  # any offset
    ],
)
def test_on_duty_follows_the_grid(piki, instant, duty):
    assert is_open(piki, at(instant))
    assert on_duty(piki, at(instant)) == duty
    assert chain(piki, at(instant))[0] == duty


@pytest.mark.parametrize(
    "instant",
    [
        "2026-03-02T09:59:59+02:00",  # before opening
        "2026-03-02T16:00:00+02:00",  # end is exclusive
        "2026-03-07T12:00:00+02:00",  # Saturday
        "2026-03-08T12:00:00+02:00",  # Sunday
        "2026-12-24T12:00:00+02:00",  # Christmas Eve (public holiday, Thursday)
        "2026-01-06T12:00:00+02:00",  # Epiphany
        "2026-04-03T12:00:00+03:00",  # Good Friday
        "2026-04-06T12:00:00+03:00",  # Easter Monday
        "2026-05-14T12:00:00+03:00",  # Ascension Day
        "2026-06-19T12:00:00+03:00",  # Midsummer Eve
        "2026-07-15T12:00:00+03:00",  # inside the summer break range
        "2026-06-29T10:00:00+03:00",  # first day of the range (inclusive)
        "2026-07-31T15:00:00+03:00",  # last day of the range (inclusive)
    ],
)
def test_closed(piki, instant):
    assert not is_open(piki, at(instant))
    assert on_duty(piki, at(instant)) is None
    assert chain(piki, at(instant)) == ()
    decision = route(piki, at(instant), piki.all_desks)
    assert decision.open is False and decision.steps == () and decision.desks == ()
    assert decision.next_opening is not None and decision.next_opening > at(instant)


def test_public_holidays_only_when_configured(small):
    christmas_eve = at("2026-12-24T12:00:00+02:00")
    assert not is_open(small, christmas_eve)
    from dataclasses import replace

    assert is_open(replace(small, public_holidays=None), christmas_eve)


def test_chain_has_no_duplicates(piki):
    monday = at("2026-03-02T11:00:00+02:00")
    assert chain(piki, monday) == ("tampere",)
    tuesday = at("2026-03-03T14:30:00+02:00")
    assert chain(piki, tuesday) == ("pool-1", "tampere")


def test_naive_instants_are_refused(piki):
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(piki, datetime(2026, 3, 2, 12))


# --- route ----------------------------------------------------------------------------------


def test_route_offers_the_pool_first_then_the_fallback(piki):
    available = {
        "tampere-metso@chat.piki.example",
        "ikaalinen@chat.piki.example",
        "akaa@chat.piki.example",
        "nokia@chat.piki.example",  # not in the chain
        "stranger@elsewhere.example",  # not in the roster
    }
    decision = route(piki, at("2026-03-03T14:30:00+02:00"), available)
    assert decision == Decision(
        open=True,
        on_duty="pool-1",
        steps=(
            Step("pool-1", ("akaa@chat.piki.example", "ikaalinen@chat.piki.example")),
            Step("tampere", ("tampere-metso@chat.piki.example",)),
        ),
        next_opening=None,
        chain=("pool-1", "tampere"),
    )
    assert decision.desks == (
        "akaa@chat.piki.example",
        "ikaalinen@chat.piki.example",
        "tampere-metso@chat.piki.example",
    )


def test_route_omits_targets_without_available_desks(piki):
    decision = route(piki, at("2026-03-03T14:30:00+02:00"), ["tampere@chat.piki.example"])
    assert decision.steps == (Step("tampere", ("tampere@chat.piki.example",)),)
    assert decision.on_duty == "pool-1"


def test_route_open_but_nobody_available_keeps_the_chat(piki):
    decision = route(piki, at("2026-03-03T14:30:00+02:00"), ())
    assert decision.open and decision.steps == () and decision.next_opening is None
    assert decision.chain == ("pool-1", "tampere")


def test_route_accepts_full_jids_and_any_case(piki):
    decision = route(piki, at("2026-03-02T11:00:00+02:00"), ["Tampere@Chat.Piki.Example/desk-3"])
    assert decision.desks == ("tampere@chat.piki.example",)


def test_decision_desks_are_deduplicated(small):
    from dataclasses import replace

    roster = replace(small, fallback=("p", "a", "big"))
    decision = route(roster, at("2026-03-03T14:00:00+02:00"), {"a@chat.example", "big@chat.example"})
    assert [s.target for s in decision.steps] == ["p", "a", "big"]
    assert decision.desks == ("a@chat.example", "big@chat.example")


def test_route_when_closed_says_when_we_open(piki):
    decision = route(piki, at("2026-03-06T16:30:00+02:00"), piki.all_desks)
    assert decision == Decision(False, None, (), at("2026-03-09T10:00:00+02:00"))


def test_gap_in_an_unvalidated_roster_goes_to_the_fallback():
    roster = Roster(
        timezone=HKI,
        libraries={"x": Library("x", "X", ("x@c.example",)), "y": Library("y", "Y", ("y@c.example",))},
        hours={0: (Span(600, 960),)},
        shifts={0: (Slot(Span(600, 720), "x"),)},
        fallback=("y", "ghost"),
    )
    monday_afternoon = at("2026-03-02T13:00:00+02:00")
    assert on_duty(roster, monday_afternoon) is None
    assert chain(roster, monday_afternoon) == ("y",)  # unknown ids are never offered
    assert route(roster, monday_afternoon, {"y@c.example"}).desks == ("y@c.example",)


# --- next opening and closing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "opening"),
    [
        ("2026-03-02T08:00:00+02:00", "2026-03-02T10:00:00+02:00"),  # same morning
        ("2026-03-02T12:00:00+02:00", "2026-03-03T10:00:00+02:00"),  # open now: the next one
        ("2026-03-06T16:00:00+02:00", "2026-03-09T10:00:00+02:00"),  # over the weekend
        ("2026-12-23T16:30:00+02:00", "2026-12-28T10:00:00+02:00"),  # over Christmas
        ("2026-04-02T17:00:00+03:00", "2026-04-07T10:00:00+03:00"),  # over Easter
        ("2026-06-18T17:00:00+03:00", "2026-06-22T10:00:00+03:00"),  # over Midsummer
        ("2026-06-26T17:00:00+03:00", "2026-08-03T10:00:00+03:00"),  # over the summer break
    ],
)
def test_next_opening(piki, instant, opening):
    found = next_opening(piki, at(instant))
    assert found == at(opening)
    assert found.tzinfo == HKI
    assert is_open(piki, found)
    assert not is_open(piki, found.astimezone(UTC) - timedelta(microseconds=1))


def test_next_opening_never():
    roster = parse_roster("libraries: {x: {desks: [x@c.example]}}")
    assert next_opening(roster, at("2026-03-02T12:00:00+02:00")) is None
    assert route(roster, at("2026-03-02T12:00:00+02:00"), ()).next_opening is None


def test_next_opening_after_a_long_closure(small):
    from dataclasses import replace

    roster = replace(small, closed=(DateRange(date(2026, 1, 1), date(2030, 12, 31)),))
    assert next_opening(roster, at("2026-03-02T12:00:00+02:00")) == at(
        "2031-01-02T10:00:00+02:00"
    )  # 1 Jan is a holiday


def test_next_closing(piki):
    assert next_closing(piki, at("2026-03-02T11:00:00+02:00")) == at("2026-03-02T16:00:00+02:00")
    assert next_closing(piki, at("2026-03-02T17:00:00+02:00")) is None


def test_hours_across_midnight_are_one_period():
    roster = parse_roster(
        'hours: {mon: "20:00-24:00", tue: "00:00-02:00"}\n'
        "libraries: {x: {desks: [x@c.example]}}\n"
        'shifts: {mon: {"20:00-24:00": x}, tue: {"00:00-02:00": x}}\n'
    )
    monday = at("2026-03-02T21:00:00+02:00")
    assert is_open(roster, at("2026-03-03T00:30:00+02:00"))
    assert next_closing(roster, monday) == at("2026-03-03T02:00:00+02:00")
    assert next_opening(roster, monday) == at("2026-03-09T20:00:00+02:00")
    assert next_opening(roster, at("2026-03-02T19:00:00+02:00")) == at("2026-03-02T20:00:00+02:00")


# --- daylight saving time (Europe/Helsinki: 29 Mar 2026 03→04, 25 Oct 2026 04→03) ----------


def test_opening_after_spring_forward_is_10_local_summer_time(piki):
    opening = next_opening(piki, at("2026-03-27T16:00:00+02:00"))
    assert opening == at("2026-03-30T10:00:00+03:00")
    assert opening.astimezone(UTC) == at("2026-03-30T07:00:00+00:00")
    assert not is_open(piki, at("2026-03-30T06:59:59Z"))  # 09:59:59 summer time
    assert is_open(piki, at("2026-03-30T07:00:00Z"))
    assert not is_open(piki, at("2026-03-27T07:30:00Z"))  # 09:30 winter time, the Friday before
    assert is_open(piki, at("2026-03-27T08:00:00Z"))


def test_opening_after_fall_back_is_10_local_winter_time(piki):
    opening = next_opening(piki, at("2026-10-23T16:00:00+03:00"))
    assert opening == at("2026-10-26T10:00:00+02:00")
    assert opening.astimezone(UTC) == at("2026-10-26T08:00:00+00:00")
    assert on_duty(piki, at("2026-10-26T07:59:59Z")) is None
    assert on_duty(piki, at("2026-10-26T08:00:00Z")) == "tampere"
    assert on_duty(piki, at("2026-10-23T07:00:00Z")) == "tampere"  # the Friday before: +03:00


def test_spring_forward_night_skips_an_hour():
    roster = night_roster("02:00-05:00")
    assert is_open(roster, at("2026-03-29T00:30:00Z"))  # 02:30 EET
    assert is_open(roster, at("2026-03-29T01:00:00Z"))  # 04:00 EEST (03:00–04:00 never happens)
    assert is_open(roster, at("2026-03-29T01:59:59Z"))
    assert not is_open(roster, at("2026-03-29T02:00:00Z"))  # 05:00 EEST
    assert next_closing(roster, at("2026-03-29T00:30:00Z")) == at("2026-03-29T05:00:00+03:00")


def test_opening_inside_the_skipped_hour_is_the_moment_of_the_change():
    roster = night_roster("03:30-05:00")
    opening = next_opening(roster, at("2026-03-28T12:00:00+02:00"))
    assert opening == at("2026-03-29T04:00:00+03:00")  # = 01:00 UTC, the change itself
    assert not is_open(roster, opening.astimezone(UTC) - timedelta(seconds=1))


def test_hours_wholly_inside_the_skipped_hour_do_not_happen():
    roster = night_roster("03:00-04:00")
    opening = next_opening(roster, at("2026-03-28T12:00:00+02:00"))
    assert opening == at("2026-04-05T03:00:00+03:00")


def test_fall_back_night_repeats_an_hour():
    roster = night_roster("03:00-05:00")
    opening = next_opening(roster, at("2026-10-24T12:00:00+03:00"))
    assert opening.astimezone(UTC) == at("2026-10-25T00:00:00Z")  # 03:00 EEST, the first 03:00
    for utc in ("00:00", "00:59", "01:00", "01:30", "02:59"):
        assert is_open(roster, at(f"2026-10-25T{utc}:00Z")), utc
    assert not is_open(roster, at("2026-10-25T03:00:00Z"))  # 05:00 EET
    assert next_closing(roster, at("2026-10-25T00:30:00Z")) == at("2026-10-25T05:00:00+02:00")


def test_repeated_half_hour_opens_twice():
    roster = night_roster("03:30-04:00")
    first = next_opening(roster, at("2026-10-24T12:00:00+03:00"))
    assert first.astimezone(UTC) == at("2026-10-25T00:30:00Z")  # 03:30 EEST
    second = next_opening(roster, first)
    assert second.astimezone(UTC) == at("2026-10-25T01:30:00Z")  # 03:30 EET
    assert not is_open(roster, at("2026-10-25T01:15:00Z"))  # 03:15 EET, second pass


# --- text -----------------------------------------------------------------------------------


def test_hours_text_in_three_languages(piki):
    assert hours_text(piki, "en") == "Mon–Fri 10:00–16:00"
    assert hours_text(piki, "fi") == "ma–pe 10.00–16.00"
    assert hours_text(piki, "sv") == "mån–fre 10.00–16.00"
    assert hours_text(piki, "fi-FI") == "ma–pe 10.00–16.00"
    assert hours_text(piki, "de") == "Mon–Fri 10:00–16:00"


def test_hours_text_groups_days_with_the_same_hours():
    roster = Roster(
        timezone=HKI,
        libraries={},
        hours={
            0: (Span(600, 960),),
            1: (Span(600, 960),),
            2: (Span(600, 960),),
            4: (Span(600, 840),),
            5: (Span(600, 720), Span(780, 900)),
        },
    )
    assert hours_text(roster, "en") == "Mon–Wed 10:00–16:00, Fri 10:00–14:00, Sat 10:00–12:00 and 13:00–15:00"
    assert hours_text(roster, "fi") == "ma–ke 10.00–16.00, pe 10.00–14.00, la 10.00–12.00 ja 13.00–15.00"


def test_hours_text_when_never_open():
    roster = Roster(timezone=HKI, libraries={})
    assert [hours_text(roster, lang) for lang in ("en", "fi", "sv")] == ["closed", "suljettu", "stängt"]


def test_when_text():
    moment = at("2026-03-09T10:00:00+02:00")
    assert when_text(moment, "en") == "Mon 9 Mar 10:00"
    assert when_text(moment, "fi") == "ma 9.3. klo 10.00"
    assert when_text(moment, "sv") == "mån 9.3. kl. 10.00"


def test_pools_answer_through_member_desks(small):
    assert small.pools["p"] == Pool("p", "Pool P", ("a", "b"))
    decision = route(small, at("2026-03-03T13:30:00+02:00"), {"b@chat.example"})
    assert decision.steps == (Step("p", ("b@chat.example",)),)
