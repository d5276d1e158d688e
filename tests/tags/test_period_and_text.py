"""Periods in local time, and the text formatting of figures."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tags import ReportError
from tags.period import Period, month_period, parse_day, previous_month, timezone
from tags.textout import counts_csv, duration, percent

HEL = ZoneInfo("Europe/Helsinki")


def test_period_bounds_are_local_midnights() -> None:
    summer = Period(date(2026, 9, 1), date(2026, 9, 30), HEL)
    assert summer.start() == datetime(2026, 8, 31, 21, 0, tzinfo=UTC)
    assert summer.end() == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)
    winter = Period(date(2026, 11, 1), date(2026, 11, 30), HEL)
    assert winter.start() == datetime(2026, 10, 31, 22, 0, tzinfo=UTC)
    assert winter.contains(datetime(2026, 11, 30, 21, 59, tzinfo=UTC))
    assert not winter.contains(datetime(2026, 11, 30, 22, 0, tzinfo=UTC))
    assert Period(tz=HEL).contains(datetime(1999, 1, 1, tzinfo=UTC))


def test_labels() -> None:
    assert month_period("2026-02", HEL).label() == "2026-02"
    assert Period(date(2026, 2, 1), date(2026, 2, 10), HEL).label() == "2026-02-01 – 2026-02-10"
    assert Period(date(2026, 2, 1), date(2026, 2, 1), HEL).label() == "2026-02-01"
    assert Period(None, date(2026, 2, 1), HEL).label() == "… – 2026-02-01"


def test_parse_day() -> None:
    assert parse_day("2026-02-03") == date(2026, 2, 3)
    assert parse_day("2026-02") == date(2026, 2, 1)
    assert parse_day("2028-02", last=True) == date(2028, 2, 29)
    assert previous_month("2026-01") == "2025-12"
    for bad in ("2026-13", "yesterday", "2026-02-30"):
        with pytest.raises(ReportError, match="not a date"):
            parse_day(bad)
    with pytest.raises(ReportError, match="not a month"):
        month_period("2026-02-01", HEL)
    with pytest.raises(ReportError, match="unknown time zone"):
        timezone("Europe/Nowhere")


def test_text_helpers() -> None:
    assert duration(None) == "–" and duration(42.4) == "42 s"
    assert duration(125) == "2 min 05 s" and duration(3720) == "1 h 02 min"
    assert percent(None) == "–" and percent(0.4567) == "45.7 %"
    assert counts_csv([("a,b", 1), ('q"', 2)]) == 'key,count\n"a,b",1\n"q""",2\n'
