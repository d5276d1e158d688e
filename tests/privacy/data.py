"""Realistic bridge databases built from bridge/schema.sql, with timestamps chosen by the test."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bridge.privacy.hetu import hetu_check_char
from bridge.store import SCHEMA, hash_token

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
HETU = "131052-308" + hetu_check_char("131052", "308")  # 131052-308T, the standard example
SEAT = "tampere@desk.chat.example/maija"
DESK = "tampere@desk.chat.example"


@dataclass
class Chat:
    """One session to insert: lines are (sender, text); left messages are (text, contact, status)."""

    id: str
    created_at: str
    state: str = "ended"
    ended_at: str | None = None
    last_seen_at: str | None = None
    library: str = "tampere"
    lang: str = "fi"
    page: str | None = "https://piki.finna.fi/Content/asiakaspalvelu"
    lines: list[tuple[str, str]] = field(default_factory=list)
    left: list[tuple[str, str | None, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _ts(base: str, minutes: int) -> str:
    t = datetime.fromisoformat(base.replace("Z", "+00:00"))
    return (t.replace(second=0) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def insert(db: sqlite3.Connection, chat: Chat) -> None:
    """Insert a chat with its lines, left messages, tags and the events a real run writes."""
    seen = chat.last_seen_at or chat.ended_at or _ts(chat.created_at, len(chat.lines))
    db.execute(
        "INSERT INTO sessions (id, token_hash, library, lang, page, state, target, owner, created_at,"
        " queued_at, answered_at, ended_at, last_seen_at, last_line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            chat.id,
            hash_token("tok-" + chat.id),
            chat.library,
            chat.lang,
            chat.page,
            chat.state,
            chat.library,
            SEAT if chat.lines else None,
            chat.created_at,
            _ts(chat.created_at, 1),
            _ts(chat.created_at, 2) if chat.lines else None,
            chat.ended_at,
            seen,
            len(chat.lines),
        ),
    )
    events = [
        ("created", None, {"library": chat.library, "lang": chat.lang}),
        ("queued", None, None),
        ("offered", None, {"target": chat.library, "seats": [SEAT]}),
        ("accepted", SEAT, {"target": chat.library}),
    ]
    for i, (sender, text) in enumerate(chat.lines):
        db.execute(
            "INSERT INTO messages (session_id, line, msg_id, sender, name, seat, text, ts)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                chat.id,
                i + 1,
                f"m{i}",
                sender,
                None if sender == "patron" else "Tampereen kirjasto",
                SEAT if sender in ("librarian", "note") else None,
                text,
                _ts(chat.created_at, i),
            ),
        )
    for text, contact, status in chat.left:
        db.execute(
            "INSERT INTO left_messages (session_id, text, contact, ts, status) VALUES (?,?,?,?,?)",
            (chat.id, text, contact, _ts(chat.created_at, 3), status),
        )
        events.append(("left_message", None, None))
    for tag in chat.tags:
        db.execute(
            "INSERT INTO chat_tags (session_id, tag_id, seat, ts) VALUES (?,?,?,?)",
            (chat.id, tag, SEAT, _ts(chat.created_at, 5)),
        )
        events.append(("tagged", SEAT, {"tag": tag}))
    if chat.ended_at:
        events.append(("ended", SEAT, {"by": "desk"}))
    for i, (kind, seat, data) in enumerate(events):
        db.execute(
            "INSERT INTO events (session_id, ts, kind, seat, desk, data) VALUES (?,?,?,?,?,?)",
            (
                chat.id,
                _ts(chat.created_at, i),
                kind,
                seat,
                DESK if seat else None,
                json.dumps(data) if data else None,
            ),
        )


def build(path: Path, chats: list[Chat]) -> Path:
    """A WAL database at `path` holding `chats`."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    for chat in chats:
        insert(db, chat)
    db.commit()
    db.close()
    return path


CARD_CHAT = Chat(
    id="p-k7q2m9",
    created_at="2026-11-23T10:15:02.123Z",
    ended_at="2026-11-23T10:31:40.000Z",
    tags=["kirjautumisasiat"],
    lines=[
        ("patron", "Hei! Kirjastokorttini 2 1234 5678 9012 ei toimi verkkokirjastossa."),
        ("librarian", "Hei, tarkistan asian. Onko PIN-koodisi vaihdettu äskettäin?"),
        ("patron", f"En ole vaihtanut, se on 4321. Hetuni on {HETU} jos tarvitsette."),
        ("note", "asiakkaan kortti 2 1234 5678 9012 oli lukittu"),
        ("librarian", "Avasin kortin. Palvelemme klo 10.00–16.00, uusi kortti maksaa 3 euroa."),
        ("patron", "Kiitos! Soitan tarvittaessa numerosta 040 123 4567."),
    ],
)
SWEDISH_CHAT = Chat(
    id="p-s8v1x4",
    created_at="2026-11-20T12:05:00.000Z",
    ended_at="2026-11-20T12:20:00.000Z",
    lang="sv",
    library="sastamala",
    tags=["kirjastokortti"],
    lines=[
        ("patron", "Mitt lånekort är 3001234567890 och pinkoden är 9876."),
        ("librarian", "Tack, jag har skickat en ny pinkod till din e-post."),
    ],
)
LIVE_CHAT = Chat(
    id="p-live01",
    created_at="2026-11-24T11:50:00.000Z",
    state="active",
    last_seen_at="2026-11-24T11:58:00.000Z",
    lines=[("patron", "PIN-koodini 1234 ei käy, kortti 2 1234 5678 9012")],
)
OLD_CHAT = Chat(
    id="p-old001",
    created_at="2025-09-02T09:00:00.000Z",
    ended_at="2025-09-02T09:20:00.000Z",
    tags=["varaaminen"],
    lines=[
        ("patron", "Varaukseni ei näy. Sähköpostini on maija.meikalainen@example.fi"),
        ("librarian", "Varaus on jonossa, ilmoitamme kun se on noudettavissa."),
    ],
)
OLD_LEFT_CHAT = Chat(
    id="p-old002",
    created_at="2025-06-01T17:30:00.000Z",
    state="closed",
    last_seen_at="2025-06-01T17:35:00.000Z",
    lines=[],
    left=[
        (
            "Lainani erääntyvät lomalla, voiko niitä uusia? Kortti 1234567890123",
            "maija.meikalainen@example.fi",
            "open",
        )
    ],
)
ANSWERED_LEFT_CHAT = Chat(
    id="p-left03",
    created_at="2026-11-22T18:00:00.000Z",
    ended_at="2026-11-22T18:05:00.000Z",
    left=[("Kortin 2 1234 5678 9012 PIN-koodi 5555 ei toimi", "+358 40 123 4567", "answered")],
    lines=[("patron", "Jätän viestin.")],
)
OPEN_LEFT_CHAT = Chat(
    id="p-left04",
    created_at="2026-11-23T19:00:00.000Z",
    state="closed",
    last_seen_at="2026-11-23T19:05:00.000Z",
    left=[("Unohdin tunnusluvun, korttini on 2 9999 8888 7777", "040-7654321", "open")],
)

ALL = [CARD_CHAT, SWEDISH_CHAT, LIVE_CHAT, OLD_CHAT, OLD_LEFT_CHAT, ANSWERED_LEFT_CHAT, OPEN_LEFT_CHAT]
