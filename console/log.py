"""The console's own SQLite log of every chat it saw, with full-text search and drafts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from console.backend import ChatMeta, ChatStateName, Line
from console.clock import Clock, system_clock

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    session TEXT PRIMARY KEY,
    library TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    page TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
    id INTEGER PRIMARY KEY,
    session TEXT NOT NULL REFERENCES chats(session) ON DELETE CASCADE,
    msg_id TEXT NOT NULL DEFAULT '',
    ts TEXT NOT NULL,
    sender TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_session ON lines(session, id);
CREATE UNIQUE INDEX IF NOT EXISTS lines_msg ON lines(session, msg_id) WHERE msg_id != '';
CREATE VIRTUAL TABLE IF NOT EXISTS lines_fts USING fts5(
    text, content='lines', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER IF NOT EXISTS lines_ai AFTER INSERT ON lines BEGIN
    INSERT INTO lines_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS lines_ad AFTER DELETE ON lines BEGIN
    INSERT INTO lines_fts(lines_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS drafts (
    session TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""

MARK_START, MARK_END = "\x02", "\x03"  # snippet highlight markers, never in stored text


@dataclass(frozen=True)
class SearchHit:
    """One matching line of a past chat."""

    session: str
    library: str
    ts: datetime
    sender: str
    snippet: str  # matched words between MARK_START and MARK_END


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat()


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word must match as a prefix ("lain" finds "lainat")."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


def _private(path: Path) -> None:
    """The local log holds patrons' words: its folder 0700, the file (and so SQLite's -wal and
    -shm, which take its mode) 0600, whatever the umask; an older, looser file is tightened."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)  # mkdir's mode is cut by the umask
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.chmod(side, 0o600)


class ChatLog:
    """An aiosqlite database file (WAL) holding chats, lines, an FTS5 index and drafts."""

    def __init__(self, path: Path | str, clock: Clock = system_clock) -> None:
        self.path = path
        self.clock = clock  # the console's one clock (a demo clock shifts it)
        self._db: aiosqlite.Connection | None = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("ChatLog.open() was not awaited")
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    async def open(self) -> ChatLog:
        if isinstance(self.path, Path) or (isinstance(self.path, str) and self.path != ":memory:"):
            _private(Path(self.path))
        self._db = await aiosqlite.connect(str(self.path), isolation_level=None)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.execute("PRAGMA foreign_keys=ON")
        await self._db.executescript(SCHEMA)
        return self

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    async def save_chat(self, meta: ChatMeta, seen: datetime | None = None) -> None:
        """Insert or update a chat's attributes."""
        ts = _iso(seen or self.clock())
        await self.db.execute(
            """INSERT INTO chats(session, library, lang, page, state, owner, tags,
                                 first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(session) DO UPDATE SET
                 library = CASE WHEN excluded.library != '' THEN excluded.library
                                ELSE library END,
                 lang = CASE WHEN excluded.lang != '' THEN excluded.lang ELSE lang END,
                 page = CASE WHEN excluded.page != '' THEN excluded.page ELSE page END,
                 state = excluded.state, owner = excluded.owner, tags = excluded.tags,
                 last_seen = excluded.last_seen""",
            (
                meta.session,
                meta.library,
                meta.lang,
                meta.page,
                meta.state.value,
                meta.owner,
                ",".join(meta.tags),
                ts,
                ts,
            ),
        )

    async def save_line(self, line: Line) -> None:
        """Store a line once (a line with a msg_id seen before is ignored)."""
        await self.db.execute(
            "INSERT OR IGNORE INTO chats(session, first_seen, last_seen) VALUES (?, ?, ?)",
            (line.session, _iso(line.ts), _iso(line.ts)),
        )
        await self.db.execute(
            "INSERT OR IGNORE INTO lines(session, msg_id, ts, sender, name, text) VALUES (?, ?, ?, ?, ?, ?)",
            (line.session, line.msg_id, _iso(line.ts), line.sender, line.name, line.text),
        )

    async def save_lines(self, lines: list[Line]) -> None:
        """Store many lines in one transaction (each once)."""
        if not lines:
            return
        await self.db.execute("BEGIN")
        try:
            await self.db.executemany(
                "INSERT OR IGNORE INTO chats(session, first_seen, last_seen) VALUES (?, ?, ?)",
                {(x.session, _iso(x.ts), _iso(x.ts)) for x in lines[:1]},
            )
            await self.db.executemany(
                "INSERT OR IGNORE INTO lines(session, msg_id, ts, sender, name, text)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(x.session, x.msg_id, _iso(x.ts), x.sender, x.name, x.text) for x in lines],
            )
        except BaseException:
            await self.db.execute("ROLLBACK")
            raise
        await self.db.execute("COMMIT")

    async def lines(self, session: str) -> list[Line]:
        async with self.db.execute(
            "SELECT ts, sender, name, text, msg_id FROM lines WHERE session = ? ORDER BY id",
            (session,),
        ) as cur:
            rows = await cur.fetchall()
        return [Line(session, _dt(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    async def chats_since(self, since: datetime) -> list[tuple[ChatMeta, datetime, datetime]]:
        """Chats seen since `since`: (attributes, first seen, last seen)."""
        async with self.db.execute(
            "SELECT session, library, lang, page, state, owner, tags, first_seen, last_seen"
            " FROM chats WHERE last_seen >= ? ORDER BY first_seen",
            (_iso(since),),
        ) as cur:
            rows = await cur.fetchall()
        return [
            (
                ChatMeta(
                    r[0],
                    library=r[1],
                    lang=r[2],
                    page=r[3],
                    state=ChatStateName.parse(r[4] or "ended"),
                    owner=r[5],
                    tags=tuple(t for t in r[6].split(",") if t),
                ),
                _dt(r[7]),
                _dt(r[8]),
            )
            for r in rows
        ]

    async def chat_library(self, session: str) -> str:
        async with self.db.execute("SELECT library FROM chats WHERE session = ?", (session,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""

    async def search(self, text: str, limit: int = 100) -> list[SearchHit]:
        """Lines matching every word of `text`, newest first."""
        query = fts_query(text)
        if not query:
            return []
        async with self.db.execute(
            f"""SELECT l.session, c.library, l.ts, l.sender,
                       snippet(lines_fts, 0, '{MARK_START}', '{MARK_END}', '…', 12)
                FROM lines_fts JOIN lines l ON l.id = lines_fts.rowid
                JOIN chats c ON c.session = l.session
                WHERE lines_fts MATCH ? ORDER BY l.id DESC LIMIT ?""",
            (query, limit),
        ) as cur:
            rows = await cur.fetchall()
        return [SearchHit(r[0], r[1], _dt(r[2]), r[3], r[4]) for r in rows]

    async def set_draft(self, session: str, text: str) -> None:
        if text:
            await self.db.execute(
                "INSERT INTO drafts(session, text, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(session) DO UPDATE SET text = excluded.text, "
                "updated = excluded.updated",
                (session, text, _iso(self.clock())),
            )
        else:
            await self.db.execute("DELETE FROM drafts WHERE session = ?", (session,))

    async def drafts(self) -> dict[str, str]:
        async with self.db.execute("SELECT session, text FROM drafts") as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}

    async def prune(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete chats last seen more than `retention_days` ago; returns how many."""
        cutoff = _iso((now or self.clock()) - timedelta(days=retention_days))
        async with self.db.execute("SELECT session FROM chats WHERE last_seen < ?", (cutoff,)) as cur:
            old = [r[0] for r in await cur.fetchall()]
        if old:
            await self.db.execute("BEGIN")
            await self.db.executemany("DELETE FROM lines WHERE session = ?", [(s,) for s in old])
            await self.db.executemany("DELETE FROM drafts WHERE session = ?", [(s,) for s in old])
            await self.db.executemany("DELETE FROM chats WHERE session = ?", [(s,) for s in old])
            await self.db.execute("COMMIT")
        return len(old)
