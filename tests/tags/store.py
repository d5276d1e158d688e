"""A bridge database built from bridge/schema.sql and filled with chats whose figures are known."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[2] / "bridge" / "schema.sql"


@dataclass
class Chat:
    """One session to insert; times are UTC "YYYY-MM-DDTHH:MM:SS" (the store adds ".000Z")."""

    id: str
    library: str
    created: str
    patron: list[str] = field(default_factory=list)
    librarian: list[str] = field(default_factory=list)
    left: str | None = None
    queued: list[str] = field(default_factory=list)
    queued_at: str | None = None
    answered_at: str | None = None
    ended_at: str | None = None
    desk: str | None = None
    seat: str | None = None
    tags: list[str] = field(default_factory=list)
    rating: int | None = None  # the patron's score after the end (the `ratings` table)
    comment: str | None = None


def z(stamp: str | None) -> str | None:
    return None if stamp is None else f"{stamp}.000Z"


def create(path: Path, chats: list[Chat]) -> Path:
    """Create the database at `path` and insert `chats`."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA.read_text(encoding="utf-8"))
    for chat in chats:
        insert(db, chat)
    db.commit()
    db.close()
    return path


def insert(db: sqlite3.Connection, chat: Chat) -> None:
    last = max([chat.created, *chat.patron, *chat.librarian])
    state = "ended" if chat.ended_at else ("active" if chat.answered_at else "queued")
    db.execute(
        "INSERT INTO sessions (id, token_hash, library, lang, state, owner, created_at,"
        " queued_at, answered_at, ended_at, last_seen_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (chat.id, f"hash-{chat.id}", chat.library, "fi", state, chat.seat, z(chat.created),
         z(chat.queued_at), z(chat.answered_at), z(chat.ended_at), z(last)),
    )  # fmt: skip
    event(db, chat.id, chat.created, "created")
    for ts in chat.queued:
        event(db, chat.id, ts, "queued")
    if chat.answered_at and (chat.desk or chat.seat):
        event(db, chat.id, chat.answered_at, "accepted", chat.seat, chat.desk)
    for n, ts in enumerate(chat.patron):
        message(db, chat.id, f"p{n}", "patron", ts)
    for n, ts in enumerate(chat.librarian):
        message(db, chat.id, f"l{n}", "librarian", ts, chat.seat)
    message(db, chat.id, "bot0", "bot", chat.created)
    if chat.left:
        db.execute(
            "INSERT INTO left_messages (session_id, text, ts) VALUES (?, ?, ?)",
            (chat.id, "Please call me", z(chat.left)),
        )
    if chat.rating is not None:
        db.execute(
            "INSERT INTO ratings (session_id, score, comment, ts) VALUES (?, ?, ?, ?)",
            (chat.id, chat.rating, chat.comment, z(chat.ended_at or last)),
        )
    for tag in chat.tags:
        db.execute(
            "INSERT INTO chat_tags (session_id, tag_id, seat, ts) VALUES (?, ?, ?, ?)",
            (chat.id, tag, chat.seat, z(chat.ended_at or chat.created)),
        )


def event(
    db: sqlite3.Connection,
    sid: str,
    ts: str,
    kind: str,
    seat: str | None = None,
    desk: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO events (session_id, ts, kind, seat, desk, data) VALUES (?, ?, ?, ?, ?, ?)",
        (sid, z(ts), kind, seat, desk, json.dumps({"kind": kind})),
    )


def message(
    db: sqlite3.Connection, sid: str, mid: str, sender: str, ts: str, seat: str | None = None
) -> None:
    db.execute(
        "INSERT INTO messages (session_id, msg_id, sender, seat, text, ts) VALUES (?,?,?,?,?,?)",
        (sid, mid, sender, seat, f"{sender} says hi", z(ts)),
    )


TAMPERE = "tampere@chat.example"
KNOWN = [
    # Mon 2 Nov 10:05 local; waited 60 s, 600 s with a librarian, 4 lines.
    Chat("s1", "tampere", "2026-11-02T07:59:00",
         patron=["2026-11-02T08:05:00", "2026-11-02T08:07:00"],
         librarian=["2026-11-02T08:06:10", "2026-11-02T08:08:00"], queued=["2026-11-02T08:05:10"],
         queued_at="2026-11-02T08:05:10", answered_at="2026-11-02T08:06:10",
         ended_at="2026-11-02T08:16:10", desk=TAMPERE, seat=f"{TAMPERE}/desk-1", tags=["loans"],
         rating=5, comment="Kiitos!"),
    # Tue 3 Nov 12:30 local, answered by Nokia after 120 s, 1200 s long, two tags.
    Chat("s2", "nokia", "2026-11-03T10:29:00",
         patron=["2026-11-03T10:30:00", "2026-11-03T10:33:00"], librarian=["2026-11-03T10:32:00"],
         queued=["2026-11-03T10:30:00"], queued_at="2026-11-03T10:30:00",
         answered_at="2026-11-03T10:32:00", ended_at="2026-11-03T10:52:00",
         desk="nokia@chat.example", seat="nokia@chat.example/a", tags=["loans", "fees"], rating=3),
    # Tue 3 Nov 14:59 local; transferred, so queued_at moved: the first wait (270 s) counts.
    # The accepted event has only the seat: the desk is its bare JID.
    Chat("s3", "tampere", "2026-11-03T12:50:00", patron=["2026-11-03T12:59:00"],
         librarian=["2026-11-03T13:04:30"], queued=["2026-11-03T12:59:30", "2026-11-03T13:02:00"],
         queued_at="2026-11-03T13:02:00", answered_at="2026-11-03T13:04:00",
         ended_at="2026-11-03T13:10:00", seat="akaa@chat.example/desk-2", tags=["login"], rating=4),
    # Wed 4 Nov 11:00 local; the patron left while queued: interrupted, never answered.
    Chat("s4", "tampere", "2026-11-04T09:00:00", patron=["2026-11-04T09:00:00"],
         queued=["2026-11-04T09:00:05"], queued_at="2026-11-04T09:00:05",
         ended_at="2026-11-04T09:05:00", tags=["interrupted"], rating=1),
    # Thu 5 Nov 16:30 local: service closed, only a left message.
    Chat("s5", "akaa", "2026-11-05T14:29:00", left="2026-11-05T14:30:00"),
    # Opened Wed 23:58 local, first line Thu 5 Nov 00:30 local: counts on Thursday at 00.
    Chat("s6", "tampere", "2026-11-04T21:58:00", patron=["2026-11-04T22:30:00"],
         left="2026-11-04T22:31:00", tags=["other"]),
    # Only the bot spoke: not a conversation, so its rating does not count either.
    Chat("s7", "tampere", "2026-11-04T10:00:00", rating=2),
    # Wed 30 Sep 21:30 UTC is Thu 1 Oct 00:30 in Helsinki (UTC+3): month 2026-10.
    Chat("s8", "tampere", "2026-09-30T21:29:00", patron=["2026-09-30T21:30:00"],
         librarian=["2026-09-30T21:31:00"], queued=["2026-09-30T21:30:00"],
         queued_at="2026-09-30T21:30:00", answered_at="2026-09-30T21:30:30",
         ended_at="2026-09-30T21:40:30", desk=TAMPERE, seat=f"{TAMPERE}/desk-1", tags=["card"],
         rating=4),
    # Tue 15 Sep 10:00 local; answered after 90 s, never ended; a tag no longer in the file.
    Chat("s9", "tampere", "2026-09-15T07:00:00", patron=["2026-09-15T07:00:00"],
         librarian=["2026-09-15T07:01:30"], queued=["2026-09-15T07:00:00"],
         queued_at="2026-09-15T07:00:00", answered_at="2026-09-15T07:01:30",
         desk=TAMPERE, seat=f"{TAMPERE}/desk-2", tags=["hours", "oldtag"]),
    # Fri 6 Nov 13:00 local: the bot answered and the patron went away content.
    Chat("s10", "ylojarvi", "2026-11-06T10:59:00", patron=["2026-11-06T11:00:00"]),
]  # fmt: skip
# Ratings above (conversations only): s1 5, s2 3, s3 4, s4 1 (November), s8 4 (October).
