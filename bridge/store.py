"""The bridge's SQLite store: sessions, messages, events, tags, left messages.

Every write is committed before the caller goes on, so an `ack` after a store call is true.
WAL with synchronous=NORMAL survives a killed process (not a power cut of the last commit).
The database and its -wal and -shm files are the owner's alone (0600), whatever the umask;
a chat's lines are masked (card numbers, hetu, PINs) in the transaction that ends it.

Writes are group-committed: the writes that arrive while a transaction is being committed
go into the next one, each in a savepoint of its own (one failing write fails alone), and
every caller is answered only after its transaction's COMMIT.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from bridge.chat import ChatState
from bridge.clock import Clock
from bridge.errors import StoreError
from bridge.storage import ChatMessage, ChatSession, ChatStorage, Followup, FollowupStatus

if TYPE_CHECKING:
    from bridge.privacy.config import PrivacyConfig

log = logging.getLogger(__name__)

SCHEMA = (Path(__file__).with_name("schema.sql")).read_text()


def hash_token(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


_SESSION_COLS = (
    "id, library, lang, page, state, target, owner, created_at, queued_at, answered_at,"
    " ended_at, last_seen_at"
)
_MESSAGE_COLS = "seq, session_id, msg_id, sender, name, seat, text, ts, line"
# A chat's lines are numbered 1, 2, … in commit order: PostgreSQL takes the number from
# sessions.last_line under the session row's lock (bridge/pgstore.py); SQLite has one writer
# at a time, so the next number is the chat's highest plus one (`LineNumbers`).
INSERT_LINE = (
    "INSERT INTO messages (session_id, line, msg_id, sender, name, seat, text, ts)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, msg_id) DO NOTHING RETURNING seq"
)
LINE_BY_ID = f"SELECT {_MESSAGE_COLS} FROM messages WHERE session_id = ? AND msg_id = ?"
LINES_AFTER = f"SELECT {_MESSAGE_COLS} FROM messages WHERE session_id = ? AND line > ? ORDER BY line"
# Databases from before line numbers: number their lines in the order they were stored and
# move the privacy marks from row ids to line numbers (the same statements on both stores).
ADD_LINE_NUMBERS = (
    "ALTER TABLE sessions ADD COLUMN last_line INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN line INTEGER NOT NULL DEFAULT 0",
    "UPDATE messages SET line = (SELECT COUNT(*) FROM messages m"
    " WHERE m.session_id = messages.session_id AND m.seq <= messages.seq)",
    "UPDATE sessions SET last_line ="
    " (SELECT COALESCE(MAX(line), 0) FROM messages WHERE session_id = sessions.id)",
    "UPDATE privacy_marks SET redacted_through = (SELECT COALESCE(MAX(line), 0) FROM messages m"
    " WHERE m.session_id = privacy_marks.session_id AND m.seq <= privacy_marks.redacted_through)",
)
_FOLLOWUP_COLS = (
    "l.seq, l.session_id, s.library, s.lang, l.ts, l.text, l.contact, l.status,"
    " f.claimed_by, f.answered_by, f.answered_at, f.mailed_to"
)
_FOLLOWUP_FROM = (
    "FROM left_messages l JOIN sessions s ON s.id = l.session_id LEFT JOIN followups f ON f.left_seq = l.seq"
)
__all__ = ["ChatMessage", "ChatSession", "Store", "hash_token"]  # the values live in bridge.storage


def _session(row: Iterable[Any]) -> ChatSession:
    values = list(row)
    values[4] = ChatState(values[4])
    return ChatSession(*values)


def _followup(row: Iterable[Any]) -> Followup:
    values = list(row)
    values[7] = FollowupStatus(values[7])
    return Followup(*values)


Statements = list[tuple[str, tuple[Any, ...]]]
Work = Callable[[sqlite3.Connection], Any]  # one write, run in the database thread


def _run_all(statements: Statements) -> Work:
    """A write of plain statements; its result is each statement's changed-row count."""
    return lambda conn: [conn.execute(sql, args).rowcount for sql, args in statements]


def _row_holds(conn: sqlite3.Connection, session_id: str, expect: dict[str, Any]) -> bool:
    """The session's row has the `expect` values (states as ChatState) right now."""
    row = conn.execute(f"SELECT {', '.join(expect)} FROM sessions WHERE id = ?", (session_id,)).fetchone()
    wanted = tuple(v.value if isinstance(v, ChatState) else v for v in expect.values())
    return row is not None and tuple(row) == wanted


class LineNumbers:
    """In the database thread: the last line number of the chats this store wrote to.

    With one writer at a time the next number of a chat is its highest plus one. Remembering
    it keeps a line's cost as it was, where counting in `sessions.last_line` would add a
    quarter (docs/performance.md). What is remembered is forgotten when another connection
    has committed (`PRAGMA data_version`) or a group failed.
    """

    KEEP = 20_000  # chats remembered before starting afresh (a forgotten one is read again)

    def __init__(self) -> None:
        self._last: dict[str, int] = {}
        self._version: int | None = None

    def check(self, conn: sqlite3.Connection) -> None:
        """At the start of a transaction: forget everything if someone else has written."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version or len(self._last) > self.KEEP:
            self._last.clear()
            self._version = version

    def next(self, conn: sqlite3.Connection, session_id: str) -> int:
        last = self._last.get(session_id)
        if last is None:
            last = conn.execute(HIGHEST_LINE, (session_id,)).fetchone()[0]
        return last + 1

    def taken(self, session_id: str, line: int) -> None:
        """The line numbered `line` is stored (not yet committed: `forget` if the group fails)."""
        self._last[session_id] = line

    def forget(self) -> None:
        self._last.clear()


HIGHEST_LINE = "SELECT COALESCE(MAX(line), 0) FROM messages WHERE session_id = ?"


def _commit_group(conn: sqlite3.Connection, writes: list[Work], lines: LineNumbers) -> list[Any]:
    """In the database thread: the group's writes in one transaction, each in a savepoint.

    A write that fails is rolled back alone and its error is its result; the others commit.
    """
    results: list[Any] = []
    alone = len(writes) == 1
    conn.execute("BEGIN IMMEDIATE")
    try:
        lines.check(conn)
        for work in writes:
            if alone:
                results.append(work(conn))  # an error rolls the whole (one-write) group back
                break
            conn.execute("SAVEPOINT w")
            try:
                results.append(work(conn))
            except sqlite3.Error as e:
                conn.execute("ROLLBACK TO w")
                results.append(e)
            conn.execute("RELEASE w")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return results


def mask_chat_lines(conn: sqlite3.Connection, session_id: str, mask: Callable[[str, str], str]) -> int:
    """In the database thread: mask a chat's lines not masked yet; the number changed.

    `privacy_marks.redacted_through` remembers how far it went, so the retention pass
    (bridge/privacy/retention.py, with the same queries) only looks at lines added after the end.
    """
    from bridge.privacy.db import LANG_OF_CHAT, LINES_TO_MASK, MARK_MASKED, MASKED_THROUGH, SET_LINE_TEXT

    found = conn.execute(LANG_OF_CHAT, (session_id,)).fetchone()
    if found is None:
        return 0
    mark = conn.execute(MASKED_THROUGH, (session_id,)).fetchone()
    lines = conn.execute(LINES_TO_MASK, (session_id, mark[0] if mark else 0)).fetchall()
    changed = 0
    for seq, _, text in lines:
        new = mask(text, found[0])
        if new != text:
            conn.execute(SET_LINE_TEXT, (new, seq))
            changed += 1
    if lines:
        conn.execute(MARK_MASKED, (session_id, lines[-1][1]))
    return changed


def make_private(path: Path) -> None:
    """Create `path` (and its folder) for the owner alone; tighten an existing file to 0600.

    SQLite gives the -wal and -shm files the database file's mode, so this covers them too;
    existing ones (from before) are tightened here as well.
    """
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


class Store:
    """The bridge's SQLite store (a ChatStorage): one connection, writes group-committed."""

    def __init__(
        self, db: aiosqlite.Connection, clock: Clock | None = None, privacy: PrivacyConfig | None = None
    ) -> None:
        self._db = db
        self.clock = clock or Clock()
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._lines = LineNumbers()
        self._committer: asyncio.Task[None] | None = None
        if privacy is None:
            from bridge.privacy.config import PrivacyConfig

            privacy = PrivacyConfig()
        self.privacy = privacy

    @classmethod
    async def open(
        cls, path: Path, clock: Clock | None = None, *, privacy: PrivacyConfig | None = None
    ) -> Store:
        """Open (and create or migrate) the database at `path`, private to the owner;
        `clock` stamps every row."""
        from bridge.privacy.db import MARKS_SCHEMA

        await asyncio.to_thread(make_private, path)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute("PRAGMA secure_delete=ON")
        columns = {r[1] for r in await db.execute_fetchall("PRAGMA table_info(messages)")}
        if columns and "line" not in columns:
            await db.executescript(MARKS_SCHEMA)
            await db.executescript("BEGIN; " + "; ".join(ADD_LINE_NUMBERS) + "; COMMIT;")
            log.info("%s: the chats' lines are numbered now (per chat)", path)
        await db.executescript(SCHEMA)
        await db.executescript(MARKS_SCHEMA)
        await db.execute(
            "CREATE TABLE IF NOT EXISTS health_checks (id INTEGER PRIMARY KEY, ts TEXT NOT NULL)"
        )
        return cls(db, clock, privacy)

    async def close(self) -> None:
        """Finish queued writes (up to 10 s), then close the connection."""
        if self._committer is not None:
            done, _ = await asyncio.wait([self._committer], timeout=10)
            if not done:
                log.error("queued writes did not finish in 10 s; closing anyway")
                self._committer.cancel()
        await self._db.close()

    async def _write(self, statements: Statements) -> list[int]:
        """Run statements in one transaction; return each statement's changed-row count."""
        counts: list[int] = await self._transact(_run_all(statements))
        return counts

    async def _transact(self, work: Work) -> Any:
        """Run `work` atomically in the database thread; return its result once committed.

        Writes queued while a group is committing form the next group: one COMMIT for all.
        """
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((work, future))
        if self._committer is None:
            self._committer = asyncio.create_task(self._commit_queued())
        return await future

    async def _commit_queued(self) -> None:
        """Commit what is queued, group by group, until nothing is left."""
        try:
            while self._queue:
                group, self._queue = self._queue, []
                try:
                    results = await self._db._execute(
                        _commit_group, self._db._conn, [work for work, _ in group], self._lines
                    )
                except BaseException as e:
                    self._lines.forget()  # numbers taken in the group were not committed
                    log.error("database write failed: %s", e)
                    for _, future in group:
                        if not future.done():
                            future.set_exception(StoreError(str(e)))
                    if not isinstance(e, Exception):
                        raise
                    continue
                for (_, future), result in zip(group, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, sqlite3.Error):
                        log.error("database write failed: %s", result)
                        future.set_exception(StoreError(str(result)))
                    else:
                        future.set_result(result)
        finally:
            self._committer = None
            left, self._queue = self._queue, []  # only when cancelled: fail, never hang
            for _, future in left:
                if not future.done():
                    future.set_exception(StoreError("the store is closing"))

    async def write_check(self) -> str | None:
        """Write one small row (as every chat line is written); None if it worked, else why not."""
        try:
            await self._write(
                [
                    (
                        "INSERT INTO health_checks (id, ts) VALUES (1, ?)"
                        " ON CONFLICT (id) DO UPDATE SET ts = excluded.ts",
                        (self.clock.stamp(),),
                    )
                ]
            )
        except StoreError as e:
            return str(e)
        return None

    async def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return list(await self._db.execute_fetchall(sql, args))
        except sqlite3.Error as e:
            raise StoreError(str(e)) from e

    # sessions

    async def create_session(
        self,
        session_id: str,
        token: str,
        library: str,
        lang: str,
        page: str | None,
        state: ChatState,
    ) -> ChatSession:
        now = self.clock.stamp()
        await self._write(
            [
                (
                    "INSERT INTO sessions (id, token_hash, library, lang, page, state, created_at,"
                    " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (session_id, hash_token(token), library, lang, page, state.value, now, now),
                ),
                (
                    "INSERT INTO events (session_id, ts, kind, data) VALUES (?, ?, 'created', ?)",
                    (session_id, now, json.dumps({"library": library, "lang": lang})),
                ),
            ]
        )
        return ChatSession(
            id=session_id,
            library=library,
            lang=lang,
            page=page,
            state=state,
            target=None,
            owner=None,
            created_at=now,
            queued_at=None,
            answered_at=None,
            ended_at=None,
            last_seen_at=now,
        )

    async def session(self, session_id: str) -> ChatSession | None:
        rows = await self._read(f"SELECT {_SESSION_COLS} FROM sessions WHERE id = ?", (session_id,))
        return _session(rows[0]) if rows else None

    async def session_by_token(self, token: str) -> ChatSession | None:
        rows = await self._read(
            f"SELECT {_SESSION_COLS} FROM sessions WHERE token_hash = ?", (hash_token(token),)
        )
        return _session(rows[0]) if rows else None

    async def live_sessions(self) -> list[ChatSession]:
        """Sessions that have not ended, oldest first."""
        rows = await self._read(
            f"SELECT {_SESSION_COLS} FROM sessions WHERE state != 'ended' ORDER BY created_at"
        )
        return [_session(r) for r in rows]

    async def update_session(self, session_id: str, **fields: Any) -> None:
        """Set columns of a session (states given as ChatState)."""
        if not fields:
            return
        cols = ", ".join(f"{k} = ?" for k in fields)
        values = tuple(v.value if isinstance(v, ChatState) else v for v in fields.values())
        await self._write([(f"UPDATE sessions SET {cols} WHERE id = ?", (*values, session_id))])

    async def set_state(
        self,
        session_id: str,
        state: ChatState,
        event: str | None = None,
        *,
        seat: str | None = None,
        desk: str | None = None,
        data: dict[str, Any] | None = None,
        expect: dict[str, Any] | None = None,
        **fields: Any,
    ) -> bool:
        """Change a session's state (and other columns) with an event, in one transaction.

        Ending a chat masks its lines in that same transaction (privacy.redact_after_end).
        `expect`: columns the row must still have, checked in the transaction; False (nothing
        written) if it does not.
        """
        values = {"state": state.value, **fields}
        cols = ", ".join(f"{k} = ?" for k in values)
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (f"UPDATE sessions SET {cols} WHERE id = ?", (*values.values(), session_id)),
        ]
        if event:
            statements.append(self.event_sql(session_id, event, seat, desk, data))
        mask = self._masker() if state is ChatState.ENDED and self.privacy.redact_after_end else None
        run = _run_all(statements)

        def work(conn: sqlite3.Connection) -> bool:
            if expect and not _row_holds(conn, session_id, expect):
                return False
            run(conn)
            if mask is not None:
                mask_chat_lines(conn, session_id, mask)
            return True

        done: bool = await self._transact(work)
        return done

    def _masker(self) -> Callable[[str, str], str]:
        from bridge.privacy.redact import masker

        return masker(self.privacy.card_patterns)

    # messages

    async def add_message(
        self,
        session_id: str,
        msg_id: str,
        sender: str,
        text: str,
        *,
        name: str | None = None,
        seat: str | None = None,
        touch: bool = False,
    ) -> tuple[ChatMessage, bool]:
        """Store a line; a repeated (session, msg_id) returns the stored one and False."""
        now = self.clock.stamp()

        def work(conn: sqlite3.Connection) -> tuple[ChatMessage, bool]:
            if touch:
                conn.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now, session_id))
            line = self._lines.next(conn, session_id)
            inserted = conn.execute(
                INSERT_LINE, (session_id, line, msg_id, sender, name, seat, text, now)
            ).fetchall()
            if not inserted:
                return ChatMessage(*conn.execute(LINE_BY_ID, (session_id, msg_id)).fetchone()), False
            self._lines.taken(session_id, line)  # last: nothing after it can fail
            return ChatMessage(inserted[0][0], session_id, msg_id, sender, name, seat, text, now, line), True

        found: tuple[ChatMessage, bool] = await self._transact(work)
        return found

    async def history(self, session_id: str, after: int = 0) -> list[ChatMessage]:
        rows = await self._read(LINES_AFTER, (session_id, after))
        return [ChatMessage(*r) for r in rows]

    async def first_patron_line(self, session_id: str) -> str | None:
        rows = await self._read(
            "SELECT text FROM messages WHERE session_id = ? AND sender = 'patron' ORDER BY line LIMIT 1",
            (session_id,),
        )
        return rows[0][0] if rows else None

    # events and tags

    def event_sql(
        self,
        session_id: str,
        kind: str,
        seat: str | None,
        desk: str | None,
        data: dict[str, Any] | None,
    ) -> tuple[str, tuple[Any, ...]]:
        return (
            "INSERT INTO events (session_id, ts, kind, seat, desk, data) VALUES (?, ?, ?, ?, ?, ?)",
            (session_id, self.clock.stamp(), kind, seat, desk, json.dumps(data) if data else None),
        )

    async def add_event(
        self,
        session_id: str,
        kind: str,
        *,
        seat: str | None = None,
        desk: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        await self._write([self.event_sql(session_id, kind, seat, desk, data)])

    async def events(self, session_id: str) -> list[tuple[str, str, str | None, str | None]]:
        """(ts, kind, seat, data) of a session's events in order."""
        rows = await self._read(
            "SELECT ts, kind, seat, data FROM events WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        return [tuple(r) for r in rows]

    async def add_tags(self, session_id: str, tag_ids: Iterable[str], seat: str | None) -> None:
        now = self.clock.stamp()
        statements: list[tuple[str, tuple[Any, ...]]] = []
        for tag in tag_ids:
            statements.append(
                (
                    "INSERT OR IGNORE INTO chat_tags (session_id, tag_id, seat, ts) VALUES (?, ?, ?, ?)",
                    (session_id, tag, seat, now),
                )
            )
            statements.append(self.event_sql(session_id, "tagged", seat, None, {"tag": tag}))
        await self._write(statements)

    async def remove_tags(self, session_id: str, tag_ids: Iterable[str], seat: str | None) -> None:
        statements: list[tuple[str, tuple[Any, ...]]] = []
        for tag in tag_ids:
            statements.append(
                ("DELETE FROM chat_tags WHERE session_id = ? AND tag_id = ?", (session_id, tag))
            )
            statements.append(self.event_sql(session_id, "untagged", seat, None, {"tag": tag}))
        await self._write(statements)

    async def tags(self, session_id: str) -> list[str]:
        rows = await self._read(
            "SELECT tag_id FROM chat_tags WHERE session_id = ? ORDER BY ts, tag_id", (session_id,)
        )
        return [r[0] for r in rows]

    async def leave_message(self, session_id: str, text: str, contact: str | None) -> None:
        now = self.clock.stamp()
        await self._write(
            [
                (
                    "INSERT INTO left_messages (session_id, text, contact, ts) VALUES (?, ?, ?, ?)",
                    (session_id, text, contact, now),
                ),
                self.event_sql(session_id, "left_message", None, None, None),
            ]
        )

    async def edit_left_message(self, session_id: str, text: str, contact: str | None) -> bool:
        """Replace the text and contact of a chat's left message while no desk has touched it."""
        counts = await self._write(
            [
                (
                    "UPDATE left_messages SET text = ?, contact = ? WHERE seq ="
                    " (SELECT MAX(seq) FROM left_messages WHERE session_id = ?) AND status = 'open'",
                    (text, contact, session_id),
                ),
            ]
        )
        if counts[0]:
            await self.add_event(session_id, "left_message_edited")
        return bool(counts[0])

    async def add_faq_example(
        self, session_id: str, entry_id: str, lang: str, question: str, seat: str | None
    ) -> None:
        """Keep a patron's question as a suggested example for an FAQ entry (`/faq ENTRY`)."""
        from bridge.faq.learn import example_statements

        await self._write(example_statements(session_id, entry_id, lang, question, seat, self.clock.stamp()))

    async def left_messages(self, session_id: str) -> list[tuple[str, str | None, str]]:
        rows = await self._read(
            "SELECT text, contact, ts FROM left_messages WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
        return [tuple(r) for r in rows]

    async def followup(self, followup_id: int) -> Followup | None:
        rows = await self._read(f"SELECT {_FOLLOWUP_COLS} {_FOLLOWUP_FROM} WHERE l.seq = ?", (followup_id,))
        return _followup(rows[0]) if rows else None

    async def latest_followup(self, session_id: str) -> Followup | None:
        rows = await self._read(
            f"SELECT {_FOLLOWUP_COLS} {_FOLLOWUP_FROM} WHERE l.session_id = ? ORDER BY l.seq DESC LIMIT 1",
            (session_id,),
        )
        return _followup(rows[0]) if rows else None

    async def followups(self, statuses: tuple[FollowupStatus, ...]) -> list[Followup]:
        """Follow-ups in `statuses`, oldest first."""
        marks = ", ".join("?" for _ in statuses)
        rows = await self._read(
            f"SELECT {_FOLLOWUP_COLS} {_FOLLOWUP_FROM} WHERE l.status IN ({marks}) ORDER BY l.seq",
            tuple(s.value for s in statuses),
        )
        return [_followup(r) for r in rows]

    async def set_followup(
        self,
        f: Followup,
        status: FollowupStatus,
        event: str,
        seat: str,
        desk: str,
        columns: dict[str, str | None],
    ) -> None:
        """New status, the desk's columns (claimed_by, answer, …) and the event, in one transaction."""
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        mailed = {"to": columns["mailed_to"]} if columns.get("mailed_to") else {}
        await self._write(
            [
                ("UPDATE left_messages SET status = ? WHERE seq = ?", (status.value, f.id)),
                (
                    f"INSERT INTO followups (left_seq, {cols}) VALUES (?, {marks})"
                    f" ON CONFLICT (left_seq) DO UPDATE SET {updates}",
                    (f.id, *columns.values()),
                ),
                self.event_sql(f.session_id, event, seat, desk, {"followup": f.id, **mailed}),
            ]
        )

    # ratings

    async def add_rating(self, session_id: str, score: int, comment: str | None) -> bool:
        """Keep a session's rating; False (nothing written) if it has one already."""
        counts = await self._write(
            [
                (
                    "INSERT OR IGNORE INTO ratings (session_id, score, comment, ts) VALUES (?, ?, ?, ?)",
                    (session_id, score, comment, self.clock.stamp()),
                )
            ]
        )
        return counts[0] == 1

    async def rating(self, session_id: str) -> tuple[int, str | None] | None:
        """(score, comment) of a session's rating, if any."""
        rows = await self._read("SELECT score, comment FROM ratings WHERE session_id = ?", (session_id,))
        return (rows[0][0], rows[0][1]) if rows else None


if TYPE_CHECKING:

    def _is_chat_storage(store: Store) -> ChatStorage:
        return store  # mypy: the SQLite store implements the whole protocol
