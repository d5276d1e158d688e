"""Opening the bridge's database for the privacy tools, the marks table, short transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bridge.privacy.errors import DatabaseError

# Bookkeeping of the privacy tools, beside the bridge's own tables (bridge/schema.sql).
MARKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS privacy_marks (
    session_id       TEXT PRIMARY KEY REFERENCES sessions(id),
    redacted_through INTEGER NOT NULL DEFAULT 0,  -- messages up to this seq have been redacted
    anonymised_at    TEXT                         -- when text, contact and page were removed
);
CREATE TABLE IF NOT EXISTS privacy_left_marks (
    seq          INTEGER PRIMARY KEY REFERENCES left_messages(seq),  -- a redacted left message
    redacted_at  TEXT NOT NULL
);
"""

Db = aiosqlite.Connection | str | Path


async def prepare(db: aiosqlite.Connection) -> None:
    """Check the bridge's tables are there and create the marks tables if missing."""
    try:
        async with db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN"
            " ('sessions', 'messages', 'events', 'chat_tags', 'left_messages')"
        ) as cur:
            found = {r[0] for r in await cur.fetchall()}
        if len(found) < 5:
            raise DatabaseError(
                "not a Tiski bridge database (tables sessions, messages, events,"
                " chat_tags, left_messages are missing); give the bridge's `database:` file"
            )
        await db.executescript(MARKS_SCHEMA)
    except sqlite3.Error as e:
        raise DatabaseError(f"cannot use the database: {e}") from e


@asynccontextmanager
async def connect(db: Db) -> AsyncIterator[aiosqlite.Connection]:
    """Yield a connection: the one given, or a new one to an existing file, closed after."""
    if isinstance(db, aiosqlite.Connection):
        await prepare(db)
        yield db
        return
    path = Path(db)
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
        try:
            await prepare(conn)
        except DatabaseError as e:
            raise DatabaseError(f"{path}: {e}") from e
        yield conn
    finally:
        await conn.close()


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error; sqlite errors become DatabaseError."""
    try:
        await db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
    except sqlite3.Error as e:
        raise DatabaseError(f"database write failed: {e}") from e


async def rows(db: aiosqlite.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    """All rows of a query; sqlite errors become DatabaseError."""
    try:
        async with db.execute(sql, args) as cur:
            return list(await cur.fetchall())
    except sqlite3.Error as e:
        raise DatabaseError(f"database read failed: {e}") from e


async def tables(db: aiosqlite.Connection) -> set[str]:
    """Names of the tables in the database (newer tables such as `ratings` may be missing)."""
    return {r[0] for r in await rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}


async def erase_traces(db: aiosqlite.Connection, tries: int = 20) -> bool:
    """Copy the WAL into the database and cut it to zero bytes; True once that succeeded.

    A passive checkpoint leaves old pages in the -wal file (it is reused, never shortened),
    so text that was masked or deleted would stay readable there. TRUNCATE waits for the
    bridge's writes (busy_timeout); a reader in the middle of a query makes it try again.
    """
    for attempt in range(tries):
        try:
            found = await rows(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError:
            found = [(1, -1, -1)]
        if found and found[0][0] == 0:
            return True
        await asyncio.sleep(0.05 * (attempt + 1))
    return False
