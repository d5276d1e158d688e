"""Every report figure from a database built from bridge/schema.sql with known answers."""

import sqlite3
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tags import ReportError, TagSet
from tags.db import load_conversations, parse_ts
from tags.period import Period
from tags.stats import NONE_KEY, count_by, summarize

from .store import KNOWN, create

HEL = ZoneInfo("Europe/Helsinki")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), HEL)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return create(tmp_path / "tiski.sqlite3", KNOWN)


def rows(database: Path, by: str, period: Period | None = None, **kw: object) -> dict[str, int]:
    return dict(count_by(load_conversations(database, period), by, HEL, **kw))  # type: ignore[arg-type]


def test_conversations_need_a_patron_line_or_left_message(database: Path) -> None:
    ids = [c.id for c in load_conversations(database)]
    assert ids == ["s9", "s8", "s1", "s2", "s3", "s4", "s6", "s5", "s10"]


def test_conversation_fields(database: Path) -> None:
    convs = {c.id: c for c in load_conversations(database)}
    assert convs["s6"].started == parse_ts("2026-11-04T22:30:00.000Z")
    assert convs["s3"].desk == "akaa@chat.example"
    assert convs["s3"].wait_seconds == 270
    assert convs["s1"].lines == 4
    assert convs["s5"].left_message and not convs["s5"].answered
    assert convs["s9"].tags == ("hours", "oldtag")


def test_summary(database: Path) -> None:
    s = summarize(load_conversations(database))
    assert (s.conversations, s.answered, s.unanswered) == (9, 5, 4)
    assert (s.left_message, s.interrupted) == (2, 1)
    assert (s.wait_median, s.wait_p90) == (90, 270)
    assert (s.length_median, s.length_p90) == (600, 1200)
    assert s.lines_median == 2
    assert s.share_answered == pytest.approx(5 / 9)
    assert s.share_left_message == pytest.approx(2 / 9)


def test_summary_for_november(database: Path) -> None:
    s = summarize(load_conversations(database, NOVEMBER))
    assert (s.conversations, s.answered, s.unanswered, s.left_message) == (7, 3, 4, 2)
    assert (s.wait_median, s.wait_p90) == (120, 270)
    assert (s.length_median, s.length_p90) == (600, 1200)


def test_by_tag(database: Path, piki: TagSet) -> None:
    assert rows(database, "tag", tagset=piki) == {
        "login": 1, "card": 1, "materials": 0, "loans": 2, "fees": 1, "reservations": 0,
        "hours": 1, "other": 1, "interrupted": 1, "oldtag": 1, NONE_KEY: 2,
    }  # fmt: skip


def test_by_weekday_hour_month(database: Path) -> None:
    assert rows(database, "weekday") == {
        "mon": 1, "tue": 3, "wed": 1, "thu": 3, "fri": 1, "sat": 0, "sun": 0
    }  # fmt: skip
    hours = {k: n for k, n in rows(database, "hour").items() if n}
    assert hours == {"00": 2, "10": 2, "11": 1, "12": 1, "13": 1, "14": 1, "16": 1}
    assert rows(database, "month") == {"2026-09": 1, "2026-10": 1, "2026-11": 7}


def test_by_desk_and_library(database: Path) -> None:
    assert list(rows(database, "desk").items()) == [
        ("tampere@chat.example", 3), ("akaa@chat.example", 1), ("nokia@chat.example", 1),
        (NONE_KEY, 4),
    ]  # fmt: skip
    assert rows(database, "library") == {"tampere": 6, "akaa": 1, "nokia": 1, "ylojarvi": 1}


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), ["s1", "s2", "s3", "s4", "s6", "s5", "s10"]),
        (date(2026, 10, 1), date(2026, 10, 31), ["s8"]),
        (None, date(2026, 9, 30), ["s9"]),
        (date(2026, 11, 5), date(2026, 11, 5), ["s6", "s5"]),
        (date(2026, 11, 6), None, ["s10"]),
    ],
)
def test_period_is_local_and_inclusive(
    database: Path, first: date | None, last: date | None, expected: list[str]
) -> None:
    assert [c.id for c in load_conversations(database, Period(first, last, HEL))] == expected


def test_missing_database_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no such database"):
        load_conversations(tmp_path / "nope.sqlite3")
    assert not (tmp_path / "nope.sqlite3").exists()


def test_not_a_tiski_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(ReportError, match="not a Tiski database"):
        load_conversations(path)


def test_database_is_only_read(database: Path) -> None:
    before = database.read_bytes()
    load_conversations(database)
    assert database.read_bytes() == before
