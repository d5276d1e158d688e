"""The bridge's database for the privacy tools: one small SQL connection over SQLite or PostgreSQL.

The tools' queries are written once, with `?` for each argument and `{each}` where a JSON
array of ids is unpacked (`id IN ({each})`); `Sql` runs them on either database.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bridge.privacy.errors import DatabaseError
from bridge.storage import Database, PostgresUrl

# Bookkeeping of the privacy tools, beside the bridge's own tables (bridge/schema.sql).
MARKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS privacy_marks (
    session_id       TEXT PRIMARY KEY REFERENCES sessions(id),
    redacted_through INTEGER NOT NULL DEFAULT 0,  -- the chat's lines up to this number are redacted
    anonymised_at    TEXT                         -- when text, contact and page were removed
);
CREATE TABLE IF NOT EXISTS privacy_left_marks (
    seq          INTEGER PRIMARY KEY REFERENCES left_messages(seq),  -- a redacted left message
    redacted_at  TEXT NOT NULL
);
"""
# Masking a chat's lines: the store does it when a chat ends, retention for lines added after.
LANG_OF_CHAT = "SELECT lang FROM sessions WHERE id = ?"
MASKED_THROUGH = "SELECT redacted_through FROM privacy_marks WHERE session_id = ?"
LINES_TO_MASK = "SELECT seq, line, text FROM messages WHERE session_id = ? AND line > ? ORDER BY line"
SET_LINE_TEXT = "UPDATE messages SET text = ? WHERE seq = ?"
MARK_MASKED = (
    "INSERT INTO privacy_marks (session_id, redacted_through) VALUES (?, ?)"
    " ON CONFLICT (session_id) DO UPDATE SET redacted_through = excluded.redacted_through"
)
_BRIDGE_TABLES = ("sessions", "messages", "events", "chat_tags", "left_messages")


class Sql(Protocol):
    """A connection to the bridge's database, whichever kind it is."""

    each: str  # SQL that unpacks a JSON array argument (`?`) into rows of `value`

    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        """All rows of a query."""

    async def execute(self, sql: str, *args: Any) -> int:
        """Run one statement; the number of rows it changed."""

    def transaction(self) -> Any:
        """An async context manager: one transaction, rolled back on any error."""

    async def tables(self) -> set[str]:
        """Names of the tables (older databases may lack newer ones such as `ratings`)."""

    async def erase_traces(self) -> bool:
        """Make what was just masked or deleted unreadable in the files too; True if done."""


class SqliteSql:
    """`Sql` on an aiosqlite connection (the bridge's file, opened beside the bridge)."""

    each = "SELECT value FROM json_each(?)"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        try:
            async with self.db.execute(sql, args) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as e:
            raise DatabaseError(f"database read failed: {e}") from e

    async def execute(self, sql: str, *args: Any) -> int:
        try:
            cur = await self.db.execute(sql, args)
        except sqlite3.Error as e:
            raise DatabaseError(f"database write failed: {e}") from e
        return cur.rowcount

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        try:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                await self.db.execute("COMMIT")
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise DatabaseError(f"database write failed: {e}") from e

    async def tables(self) -> set[str]:
        return {r[0] for r in await self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}

    async def erase_traces(self, tries: int = 20) -> bool:
        """Copy the WAL into the database and cut it to zero bytes; True once that succeeded.

        A passive checkpoint leaves old pages in the -wal file (it is reused, never shortened),
        so text that was masked or deleted would stay readable there. TRUNCATE waits for the
        bridge's writes (busy_timeout); a reader in the middle of a query makes it try again.
        """
        for attempt in range(tries):
            try:
                found = await self.rows("PRAGMA wal_checkpoint(TRUNCATE)")
            except DatabaseError:
                found = [(1, -1, -1)]
            if found and found[0][0] == 0:
                return True
            await asyncio.sleep(0.05 * (attempt + 1))
        return False


@lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """`?` arguments as PostgreSQL's `$1, $2, …` (the tools' SQL has no `?` inside strings)."""
    count = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


class PgSql:
    """`Sql` on an asyncpg connection."""

    each = "SELECT value FROM json_array_elements_text(CAST(? AS json))"

    def __init__(self, conn: Any) -> None:
        self.conn = conn  # asyncpg.Connection

    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        import asyncpg

        try:
            return list(await self.conn.fetch(numbered(sql), *args))
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as e:
            raise DatabaseError(f"database read failed: {e}") from e

    async def execute(self, sql: str, *args: Any) -> int:
        import asyncpg

        try:
            status: str = await self.conn.execute(numbered(sql), *args)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as e:
            raise DatabaseError(f"database write failed: {e}") from e
        last = status.rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        import asyncpg

        try:
            async with self.conn.transaction():
                yield
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as e:
            raise DatabaseError(f"database write failed: {e}") from e

    async def tables(self) -> set[str]:
        found = await self.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {r[0] for r in found}

    async def erase_traces(self) -> bool:
        """Nothing to do from here: old row versions go with VACUUM (docs/data-protection.md)."""
        return True


async def prepare(db: Sql) -> None:
    """Check the bridge's tables are there and create the marks tables if missing."""
    if len(set(_BRIDGE_TABLES) & await db.tables()) < len(_BRIDGE_TABLES):
        raise DatabaseError(
            "not a Tiski bridge database (tables sessions, messages, events,"
            " chat_tags, left_messages are missing); give the bridge's `database:`"
        )
    for statement in MARKS_SCHEMA.split(";"):
        if statement.strip():
            await db.execute(statement)


@asynccontextmanager
async def connect(db: Database | str | Sql | aiosqlite.Connection) -> AsyncIterator[Sql]:
    """Yield a connection: the one given, or a new one to an existing database, closed after.

    `db` is a file path (SQLite) or a postgresql:// URL, as the bridge's `database:` takes.
    """
    if isinstance(db, aiosqlite.Connection):
        db = SqliteSql(db)
    if not isinstance(db, str | Path | PostgresUrl):  # a connection already
        await prepare(db)
        yield db
        return
    if isinstance(db, str):
        from bridge.storage import parse_database

        db = parse_database(db, Path.cwd(), "--database")
    opened = _postgres(db) if isinstance(db, PostgresUrl) else _sqlite(db)
    async with opened as sql:
        try:
            await prepare(sql)
        except DatabaseError as e:
            raise DatabaseError(f"{db}: {e}") from e
        yield sql


@asynccontextmanager
async def _sqlite(path: Path) -> AsyncIterator[Sql]:
    if not await asyncio.to_thread(path.is_file):
        raise DatabaseError(f"{path}: no such database file; give the bridge's `database:` path")
    try:
        conn = await aiosqlite.connect(f"file:{path}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise DatabaseError(f"{path}: cannot open: {e}") from e
    try:
        await conn.execute("PRAGMA busy_timeout=10000")  # wait for the bridge's short writes
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA secure_delete=ON")  # deleted text is overwritten, not just unlinked
        yield SqliteSql(conn)
    finally:
        await conn.close()


@asynccontextmanager
async def _postgres(url: PostgresUrl) -> AsyncIterator[Sql]:
    import asyncpg

    try:
        conn = await asyncpg.connect(url.url, timeout=30)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as e:
        raise DatabaseError(f"{url}: cannot connect: {e}") from e
    try:
        yield PgSql(conn)
    finally:
        await conn.close()
