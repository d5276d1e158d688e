"""The bot's share in reports: answered by the bot, suggestion picks, handoffs after a bot answer,
per month and per FAQ entry, read from the store's `events` (bot_answer, bot_pick, queued)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tags.botshare import bot_share
from tags.cli import main
from tags.db import load_conversations
from tags.html import render_html
from tags.period import Period
from tags.reporting import build_report

from .store import Chat, create, z
from .test_html import tables

HEL = ZoneInfo("Europe/Helsinki")

CHATS = [
    Chat("b1", "tampere", "2026-11-02T08:00:00", patron=["2026-11-02T08:00:05"]),
    Chat("b2", "tampere", "2026-11-03T08:00:00", patron=["2026-11-03T08:00:05"],
         answered_at="2026-11-03T08:02:00", desk="tampere@chat.example", seat="tampere@chat.example/a"),
    Chat("b3", "nokia", "2026-11-04T08:00:00", patron=["2026-11-04T08:00:05"]),
    Chat("b4", "nokia", "2026-12-01T08:00:00", patron=["2026-12-01T08:00:05"],
         queued=["2026-12-01T08:00:06"]),
    Chat("b5", "nokia", "2026-12-02T08:00:00", patron=["2026-12-02T08:00:05"]),
]  # fmt: skip
# (chat, time, kind, entry): in the order the bridge writes them
EVENTS = [
    ("b1", "2026-11-02T08:00:06", "bot_answer", "renew"),
    ("b2", "2026-11-03T08:00:06", "bot_answer", "pin-forgotten"),
    ("b2", "2026-11-03T08:01:00", "queued", None),  # "I want a librarian" after the answer
    ("b3", "2026-11-04T08:00:06", "bot_suggest", None),
    ("b3", "2026-11-04T08:00:09", "bot_pick", "renew"),
    ("b5", "2026-12-02T08:00:06", "bot_answer", "renew"),
    ("b5", "2026-12-02T08:01:06", "bot_answer", "renew"),  # asked again: one conversation
]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = create(tmp_path / "tiski.sqlite3", CHATS)
    with sqlite3.connect(path) as db:
        for sid, ts, kind, entry in EVENTS:
            data = json.dumps({"faq": entry, "score": 0.9} if entry else {"faq": ["renew", "return"]})
            db.execute(
                "INSERT INTO events (session_id, ts, kind, data) VALUES (?, ?, ?, ?)",
                (sid, z(ts), kind, data),
            )
    return path


def test_bot_events_are_read_with_the_conversations(database: Path) -> None:
    convs = {c.id: c for c in load_conversations(database)}
    assert convs["b1"].bot_answers == ("renew",) and not convs["b1"].handoff_after_bot
    assert convs["b2"].bot_answers == ("pin-forgotten",) and convs["b2"].handoff_after_bot
    assert convs["b3"].bot_picks == ("renew",) and convs["b3"].bot_answers == ()
    assert convs["b4"].bot_answers == () and not convs["b4"].handoff_after_bot  # queued, no bot before
    assert convs["b5"].bot_answers == ("renew",)


def test_per_month_and_per_entry(database: Path) -> None:
    convs = load_conversations(database)
    months = {r.key: (r.conversations, r.by_bot, r.picks, r.handoffs) for r in bot_share(convs, "month", HEL)}
    assert months == {"2026-11": (3, 2, 1, 1), "2026-12": (2, 1, 0, 0)}
    entries = [
        (r.key, r.conversations, r.by_bot, r.picks, r.handoffs) for r in bot_share(convs, "entry", HEL)
    ]
    assert entries == [("renew", 3, 3, 1, 0), ("pin-forgotten", 1, 0, 0, 1)]


def test_cli_csv_by_entry(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    code = main(["report", "--database", str(database), "--bot", "entry", "--csv"])
    out = capsys.readouterr().out
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["key", "conversations", "answered_by_bot", "suggestion_picks", "handoffs_after_bot"]
    assert rows[1:] == [["renew", "3", "3", "1", "0"], ["pin-forgotten", "1", "0", "0", "1"]]


def test_cli_text_by_month_is_the_default(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    assert main(["report", "--database", str(database), "--bot"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["month", "chats", "by"]
    assert lines[1].split()[:3] == ["2026-11", "3", "2"]


def test_html_report_has_the_bot_tables(database: Path) -> None:
    data = build_report(database, Period(tz=HEL), now=datetime(2026, 12, 3, tzinfo=UTC))
    page = render_html(data)
    assert 'id="bot"' in page
    found = tables(page)
    assert found["bot-by-month"][1:] == [
        ["2026-11", "3", "2", "66.7 %", "1", "1"],
        ["2026-12", "2", "1", "50.0 %", "0", "0"],
    ]
    assert found["bot-by-entry"][1][0] == "renew"
