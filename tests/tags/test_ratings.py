"""Patrons' ratings in reports: read from the `ratings` table (or its absence), counted and averaged
overall, per desk and per tag, in the CLI and the HTML report — with known answers.

The fixture (tests/tags/store.py) rates s1 5, s2 3, s3 4, s4 1 (November) and s8 4 (October);
s7 is rated 2 but is no conversation (only the bot spoke), so it never counts."""

import csv
import io
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tags import TagSet
from tags.cli import main
from tags.db import load_conversations
from tags.html import render_html
from tags.period import Period
from tags.reporting import build_report
from tags.stats import NONE_KEY, Conversation, RatingRow, rate, ratings_by

from .conftest import EXAMPLE
from .store import KNOWN, create
from .test_html import tables

HEL = ZoneInfo("Europe/Helsinki")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), HEL)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return create(tmp_path / "tiski.sqlite3", KNOWN)


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    """A database from before ratings: the same chats, no `ratings` table."""
    path = create(tmp_path / "old.sqlite3", KNOWN)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE ratings")
    db.commit()
    db.close()
    return path


def by_key(rows: tuple[RatingRow, ...]) -> dict[str, tuple[int, int, float | None]]:
    return {r.key: (r.conversations, r.count, r.mean) for r in rows}


# ---- reading -------------------------------------------------------------------------------


def test_ratings_are_read_with_the_conversations(database: Path) -> None:
    ratings = {c.id: c.rating for c in load_conversations(database)}
    assert ratings == {
        "s1": 5, "s2": 3, "s3": 4, "s4": 1, "s5": None, "s6": None, "s8": 4, "s9": None,
        "s10": None,
    }  # fmt: skip


def test_a_database_without_ratings_still_reports(old_database: Path) -> None:
    convs = load_conversations(old_database)
    assert len(convs) == 9 and all(c.rating is None for c in convs)
    r = rate(convs)
    assert (r.conversations, r.count, r.mean) == (9, 0, None)


# ---- pure figures --------------------------------------------------------------------------


def test_rate_counts_and_means() -> None:
    t0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    convs = [
        Conversation(f"c{n}", t0 + timedelta(minutes=n), "x", rating=score)
        for n, score in enumerate([5, 4, None, 4, 2])
    ]
    r = rate(convs)
    assert (r.conversations, r.count) == (5, 4)
    assert r.mean == pytest.approx(15 / 4)
    assert r.scores == ((1, 0), (2, 1), (3, 0), (4, 2), (5, 1))
    assert r.share_rated == pytest.approx(0.8)
    empty = rate([])
    assert empty.mean is None and empty.share_rated is None and sum(n for _, n in empty.scores) == 0


def test_overall(database: Path) -> None:
    r = rate(load_conversations(database))
    assert (r.conversations, r.count) == (9, 5)
    assert r.mean == pytest.approx(17 / 5)  # 5 + 3 + 4 + 1 + 4
    assert r.scores == ((1, 1), (2, 0), (3, 1), (4, 2), (5, 1))
    november = rate(load_conversations(database, NOVEMBER))
    assert (november.count, november.mean) == (4, pytest.approx(13 / 4))


def test_per_desk(database: Path) -> None:
    rows = ratings_by(load_conversations(database), "desk", HEL)
    # Same rows and order as `--by desk`: by conversations, then name, (none) last.
    assert [r.key for r in rows] == [
        "tampere@chat.example", "akaa@chat.example", "nokia@chat.example", NONE_KEY,
    ]  # fmt: skip
    assert by_key(rows) == {
        "tampere@chat.example": (3, 2, pytest.approx(4.5)),  # s1 5, s8 4; s9 unrated
        "akaa@chat.example": (1, 1, 4.0),
        "nokia@chat.example": (1, 1, 3.0),
        NONE_KEY: (4, 1, 1.0),  # s4, the interrupted one, rated 1
    }


def test_per_tag_counts_a_chat_under_each_tag(database: Path, piki: TagSet) -> None:
    rows = ratings_by(load_conversations(database), "tag", HEL, tagset=piki)
    assert by_key(rows) == {
        "login": (1, 1, 4.0), "card": (1, 1, 4.0), "materials": (0, 0, None),
        "loans": (2, 2, 4.0), "fees": (1, 1, 3.0), "reservations": (0, 0, None),
        "hours": (1, 0, None), "other": (1, 0, None), "interrupted": (1, 1, 1.0),
        "oldtag": (1, 0, None), NONE_KEY: (2, 0, None),
    }  # fmt: skip
    assert [r.key for r in rows][:4] == ["login", "card", "materials", "loans"]  # the file's order


# ---- command line --------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_cli_ratings_csv_by_desk(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out = run(capsys, "report", "--database", str(database), "--by", "desk", "--ratings", "--csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["key", "conversations", "ratings", "mean_rating"],
        ["tampere@chat.example", "3", "2", "4.50"],
        ["akaa@chat.example", "1", "1", "4.00"],
        ["nokia@chat.example", "1", "1", "3.00"],
        ["(none)", "4", "1", "1.00"],
    ]


def test_cli_ratings_by_tag_is_the_default(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out = run(capsys, "report", "--database", str(database), "--ratings", "--csv",
                    "--tags", str(EXAMPLE), "--from", "2026-11", "--to", "2026-11")  # fmt: skip
    assert code == 0
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(out))}
    assert rows["key"] == ["conversations", "ratings", "mean_rating"]
    assert rows["loans"] == ["2", "2", "4.00"]
    assert rows["card"] == ["0", "0", ""]  # s8 is in October
    assert rows["interrupted"] == ["1", "1", "1.00"]


def test_cli_ratings_text(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code, out = run(capsys, "report", "--database", str(database), "--ratings", "--by", "desk")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split("  ")[-1] == "5 (55.6 %)" and lines[0].startswith("Rated conversations")
    assert lines[1].startswith("Mean rating (1–5)") and lines[1].endswith("3.40")
    assert lines[3].split() == ["desk", "chats", "rated", "mean"]
    assert lines[4].split() == ["tampere@chat.example", "3", "2", "4.50"]
    assert lines[-1].split() == ["(none)", "4", "1", "1.00"]


def test_cli_old_database_and_unchanged_counts(
    capsys: pytest.CaptureFixture[str], old_database: Path
) -> None:
    code, out = run(capsys, "report", "--database", str(old_database), "--by", "desk", "--ratings", "--csv")
    assert code == 0
    assert out.splitlines()[1] == "tampere@chat.example,3,0,"
    # Without --ratings the CONTRACTS §5 output is as before.
    code, out = run(capsys, "report", "--database", str(old_database), "--by", "desk", "--csv")
    assert out.splitlines()[0] == "key,count" and out.splitlines()[1] == "tampere@chat.example,3"


# ---- HTML ----------------------------------------------------------------------------------


def test_html_ratings_section(database: Path, piki: TagSet) -> None:
    page = render_html(build_report(database, Period(tz=HEL), tagset=piki, now=NOW))
    t = tables(page)
    overall = dict(t["ratings"])
    assert overall["Rated conversations"] == "5 (55.6 %)"
    assert overall["Mean rating (1–5)"] == "3.40"
    assert [overall[f"Rated {n}"] for n in range(1, 6)] == ["1", "0", "1", "2", "1"]
    desks = {row[0]: row[1:] for row in t["ratings-by-desk"][1:]}
    assert desks["tampere@chat.example"] == ["3", "2", "4.50"]
    assert desks["(none)"] == ["4", "1", "1.00"]
    tags = {row[0]: row[1:] for row in t["ratings-by-tag"][1:]}
    assert t["ratings-by-tag"][0] == ["Key", "Name", "Conversations", "Rated", "Mean"]
    assert tags["loans"] == ["Lainaus – lainat", "2", "2", "4.00"]
    assert tags["hours"][1:] == ["1", "0", "–"]
    libraries = {row[0]: row[1:] for row in t["ratings-by-library"][1:]}
    assert libraries["tampere"] == ["6", "4", "3.50"]  # s1 5, s3 4, s4 1, s8 4
    assert page.index('id="ratings"') < page.index('id="ratings-by-desk"')


def test_html_without_ratings_table(old_database: Path) -> None:
    page = render_html(build_report(old_database, Period(tz=HEL), now=NOW))
    overall = dict(tables(page)["ratings"])
    assert overall["Rated conversations"] == "0 (0.0 %)" and overall["Mean rating (1–5)"] == "–"
