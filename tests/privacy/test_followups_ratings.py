"""Answers to left messages (`followups`) and rating comments: redaction, retention, requests."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from bridge.privacy.cli import main
from bridge.privacy.retention import apply_retention
from bridge.store import SCHEMA
from tests.privacy import data
from tests.privacy.data import NOW

pytestmark = pytest.mark.skipif(
    not all(f"CREATE TABLE IF NOT EXISTS {t} " in SCHEMA for t in ("followups", "ratings")),
    reason="bridge/schema.sql has no followups or ratings table",
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = data.build(tmp_path / "tiski.sqlite3", data.ALL)
    with sqlite3.connect(path) as c:
        seqs = dict(c.execute("SELECT session_id, seq FROM left_messages"))
        c.execute(
            "INSERT INTO followups (left_seq, claimed_by, claimed_at, answer, answered_by, answered_at,"
            " mailed_to) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                seqs["p-left03"],
                data.SEAT,
                "2026-11-23T08:00:00.000Z",
                "Avasin kortin 2 1234 5678 9012, uusi PIN-koodi on 8642.",
                data.SEAT,
                "2026-11-23T08:05:00.000Z",
                "maija@example.fi",
            ),
        )
        c.execute(
            "INSERT INTO followups (left_seq, answer, mailed_to) VALUES (?, ?, ?)",
            (seqs["p-old002"], "Uusin lainat.", "maija.meikalainen@example.fi"),
        )
        c.execute(
            "INSERT INTO ratings (session_id, score, comment, ts) VALUES (?, 5, ?, ?)",
            ("p-k7q2m9", "Nopea apu! Kortti 2 1234 5678 9012 toimii taas.", "2026-11-23T10:32:00.000Z"),
        )
        c.execute(
            "INSERT INTO ratings (session_id, score, comment, ts) VALUES (?, 4, ?, ?)",
            ("p-old001", "Kiitos, soittakaa 040 111 2222", "2025-09-02T09:21:00.000Z"),
        )
    return path


def one(path: Path, sql: str) -> tuple:
    with sqlite3.connect(path) as c:
        return c.execute(sql).fetchone()


async def test_answers_and_comments_are_redacted_and_later_emptied(db: Path) -> None:
    result = await apply_retention(db, now=NOW, retention_days=365)
    assert one(db, "SELECT answer, mailed_to FROM followups WHERE answered_by IS NOT NULL") == (
        "Avasin kortin [kortti], uusi PIN-koodi on [PIN].",
        "maija@example.fi",
    )
    assert one(db, "SELECT comment FROM ratings WHERE session_id = 'p-k7q2m9'") == (
        "Nopea apu! Kortti [kortti] toimii taas.",
    )
    assert one(db, "SELECT answer, mailed_to FROM followups WHERE answered_by IS NULL") == (None, None)
    assert one(db, "SELECT score, comment FROM ratings WHERE session_id = 'p-old001'") == (4, None)
    assert (result.redacted_left_messages, result.redacted_comments) == (2, 1)  # message and answer
    again = await apply_retention(db, now=NOW, retention_days=365)
    assert (again.redacted_left_messages, again.redacted_comments) == (0, 0)


def test_export_and_delete_cover_answers_and_ratings(db: Path) -> None:
    out = io.StringIO()
    argv = ["export", "--database", str(db), "--contact", "maija@example.fi"]
    assert main(argv, stdout=out, stderr=io.StringIO(), now=NOW) == 0
    (chat,) = json.loads(out.getvalue())["chats"]
    assert chat["id"] == "p-left03" and chat["left_messages"][0]["mailed_to"] == "maija@example.fi"
    out = io.StringIO()
    assert main(["export", "--database", str(db), "--contact", "040 111 2222"], stdout=out, now=NOW) == 0
    assert [c["rating"]["score"] for c in json.loads(out.getvalue())["chats"]] == [4]
    argv = ["delete", "--database", str(db), "--session", "p-left03", "--session", "p-old001", "--yes"]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO(), now=NOW) == 0
    assert one(db, "SELECT COUNT(*) FROM followups") == (1,)
    assert one(db, "SELECT session_id FROM ratings") == ("p-k7q2m9",)
