"""Learning from the desk: a patron's question marked as an example for an entry (`/faq ENTRY`),
kept in the bridge's database until `python -m bridge.faq review` accepts or rejects it."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bridge.faq.errors import FaqError

SCHEMA = """
CREATE TABLE IF NOT EXISTS faq_suggestions (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   TEXT NOT NULL,             -- the chat the question came from
    entry_id     TEXT NOT NULL,             -- the faq.yaml entry it should have answered
    lang         TEXT NOT NULL,             -- fi | sv | en: the chat's language
    question     TEXT NOT NULL,             -- the patron's question as written
    seat         TEXT,                      -- full JID of the seat that marked it
    ts           TEXT NOT NULL,             -- when it was marked (ISO 8601 UTC, as the store writes)
    status       TEXT NOT NULL DEFAULT 'open',  -- open | accepted | rejected
    reviewed_at  TEXT,
    UNIQUE (session_id, entry_id, question)
)
"""

Statements = list[tuple[str, tuple[Any, ...]]]


@dataclass(frozen=True)
class Suggestion:
    """A patron's question a librarian marked as an example for an entry."""

    seq: int
    session_id: str
    entry_id: str
    lang: str
    question: str
    seat: str | None
    ts: str


def example_statements(
    session_id: str, entry_id: str, lang: str, question: str, seat: str | None, ts: str
) -> Statements:
    """The writes that keep a marked example (run them in one transaction, e.g. the store's).

    Marking the same question for the same entry again changes nothing."""
    return [
        (SCHEMA, ()),
        (
            "INSERT OR IGNORE INTO faq_suggestions (session_id, entry_id, lang, question, seat, ts)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (session_id, entry_id, lang, question.strip(), seat, ts),
        ),
    ]


def open_suggestions(database: str | Path) -> list[Suggestion]:
    """Suggestions not yet reviewed, oldest first; none when the table does not exist yet."""
    with contextlib.closing(_connect(database)) as db:
        if not db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'faq_suggestions'"
        ).fetchone():
            return []
        rows = db.execute(
            "SELECT seq, session_id, entry_id, lang, question, seat, ts FROM faq_suggestions"
            " WHERE status = 'open' ORDER BY seq"
        ).fetchall()
    return [Suggestion(*row) for row in rows]


def set_status(database: str | Path, seqs: list[int], status: str, ts: str) -> None:
    """Mark suggestions accepted or rejected."""
    if status not in ("accepted", "rejected"):
        raise ValueError(status)
    with contextlib.closing(_connect(database)) as db, db:
        db.executemany(
            "UPDATE faq_suggestions SET status = ?, reviewed_at = ? WHERE seq = ?",
            [(status, ts, seq) for seq in seqs],
        )


def _connect(database: str | Path) -> sqlite3.Connection:
    path = Path(database)
    if not path.is_file():
        raise FaqError(f"{database}: no such database file")
    db = sqlite3.connect(path)
    db.execute("PRAGMA busy_timeout=5000")  # the running bridge may be writing
    return db
