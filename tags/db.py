"""Reading conversations for reports from the bridge's store (read-only): its SQLite file, or
its PostgreSQL database when `database` is a postgresql:// URL. The queries are the same for both."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tags.errors import ReportError
from tags.period import Period
from tags.stats import Conversation

# One row per session that became a conversation: a patron message or a left message.
_SESSIONS = """
WITH
  patron AS (SELECT session_id, MIN(ts) AS first_ts FROM messages
             WHERE sender = 'patron' GROUP BY session_id),
  lines AS (SELECT session_id, COUNT(*) AS n FROM messages
            WHERE sender IN ('patron', 'librarian') GROUP BY session_id),
  left_msg AS (SELECT session_id, MIN(ts) AS first_ts FROM left_messages GROUP BY session_id),
  queued AS (SELECT session_id, MIN(ts) AS first_ts FROM events
             WHERE kind = 'queued' GROUP BY session_id),
  accepted AS (SELECT session_id, desk, seat FROM events e
               WHERE kind = 'accepted' AND seq = (SELECT MIN(seq) FROM events
                 WHERE session_id = e.session_id AND kind = 'accepted'))
SELECT s.id, s.library, s.queued_at, s.answered_at, s.ended_at,
       patron.first_ts, left_msg.first_ts, queued.first_ts,
       accepted.desk, accepted.seat, COALESCE(lines.n, 0), {rating}
FROM sessions s
LEFT JOIN patron ON patron.session_id = s.id
LEFT JOIN left_msg ON left_msg.session_id = s.id
LEFT JOIN queued ON queued.session_id = s.id
LEFT JOIN accepted ON accepted.session_id = s.id
LEFT JOIN lines ON lines.session_id = s.id
{ratings_join}WHERE (patron.first_ts IS NOT NULL OR left_msg.first_ts IS NOT NULL)
  AND (CAST(? AS TEXT) IS NULL OR s.created_at < ?)
"""
# Databases from before ratings (bridge/schema.sql) have no `ratings` table: every rating is NULL.
_WITH_RATINGS = {
    "rating": "ratings.score",
    "ratings_join": "LEFT JOIN ratings ON ratings.session_id = s.id\n",
}
_WITHOUT_RATINGS = {"rating": "NULL", "ratings_join": ""}
_HAS_RATINGS = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ratings'",
    "postgresql": "SELECT 1 WHERE to_regclass('ratings') IS NOT NULL",
}
_TAGS = "SELECT session_id, tag_id FROM chat_tags ORDER BY ts, tag_id"
# The automatic answers (docs/faq.md): `bot_answer` and `bot_pick` carry {"faq": entry id}.
_BOT = (
    "SELECT session_id, kind, data FROM events"
    " WHERE kind IN ('bot_answer', 'bot_pick', 'queued') ORDER BY seq"
)


@dataclass
class _Bot:
    answers: list[str] = field(default_factory=list)
    picks: list[str] = field(default_factory=list)
    handoff: bool = False


def _bot_events(rows: Iterable[Any]) -> dict[str, _Bot]:
    """Per session: entries answered and picked, and whether it was queued after that."""
    bots: dict[str, _Bot] = {}
    for session_id, kind, data in rows:
        bot = bots.get(session_id)
        if kind == "queued":
            if bot is not None and (bot.answers or bot.picks):
                bot.handoff = True
            continue
        try:
            entry = json.loads(data or "{}").get("faq")
        except (ValueError, AttributeError):
            entry = None
        if isinstance(entry, str):
            bot = bots.setdefault(session_id, _Bot())
            (bot.answers if kind == "bot_answer" else bot.picks).append(entry)
    return bots


_Rows = tuple[list[Any], list[Any], list[Any]]  # sessions, tags, bot events


def load_conversations(database: str | Path, period: Period | None = None) -> list[Conversation]:
    """Conversations whose first patron line (or left message) falls in `period`."""
    before = _before(period)
    if _is_url(database):
        sessions, tag_rows, bot_rows = asyncio.run(_read_postgres(str(database), before))
    else:
        sessions, tag_rows, bot_rows = _read_sqlite(database, before)
    tags: defaultdict[str, list[str]] = defaultdict(list)
    for session_id, tag_id in tag_rows:
        tags[session_id].append(tag_id)
    bots = _bot_events(bot_rows)
    convs = [_conversation(tuple(row), tuple(tags.get(row[0], ())), bots.get(row[0])) for row in sessions]
    chosen = [c for c in convs if period is None or period.contains(c.started)]
    return sorted(chosen, key=lambda c: (c.started, c.id))


def _read_sqlite(database: str | Path, before: str | None) -> _Rows:
    with contextlib.closing(_connect(database)) as db:
        try:
            parts = _WITH_RATINGS if db.execute(_HAS_RATINGS["sqlite"]).fetchone() else _WITHOUT_RATINGS
            sessions = db.execute(_SESSIONS.format(**parts), (before, before)).fetchall()
            return sessions, db.execute(_TAGS).fetchall(), db.execute(_BOT).fetchall()
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{database}: not a Tiski database ({exc})") from exc


async def _read_postgres(url: str, before: str | None) -> _Rows:
    import asyncpg

    where = url.split("@")[-1]  # never the password
    try:
        db = await asyncpg.connect(url, timeout=30)
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError) as exc:
        raise ReportError(f"{where}: cannot connect to the database ({exc})") from exc
    try:
        async with db.transaction(readonly=True, isolation="repeatable_read"):  # one snapshot
            parts = _WITH_RATINGS if await db.fetchval(_HAS_RATINGS["postgresql"]) else _WITHOUT_RATINGS
            sessions = await db.fetch(_numbered(_SESSIONS.format(**parts)), before, before)
            return list(sessions), list(await db.fetch(_TAGS)), list(await db.fetch(_BOT))
    except asyncpg.PostgresError as exc:
        raise ReportError(f"{where}: not a Tiski database ({exc})") from exc
    finally:
        await db.close()


def _is_url(database: str | Path) -> bool:
    text = str(database)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text) is None:
        return False
    if not text.startswith(("postgresql://", "postgres://")):
        raise ReportError(f"{text.split('@')[-1]}: give the bridge's SQLite file or a postgresql:// URL")
    return True


def _numbered(sql: str) -> str:
    """`?` arguments as PostgreSQL's `$1, $2, …`."""
    count = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


def parse_ts(text: str | None) -> datetime | None:
    """An aware UTC datetime from the store's ISO 8601 text ("…Z"); None stays None."""
    if not text:
        return None
    stamp = datetime.fromisoformat(text)
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _conversation(row: tuple[Any, ...], tags: tuple[str, ...], bot: _Bot | None = None) -> Conversation:
    (sid, library, queued_at, answered_at, ended_at, first_patron, first_left,
     first_queued, desk, seat, lines, rating) = row  # fmt: skip
    starts = [t for t in (parse_ts(first_patron), parse_ts(first_left)) if t]
    # queued_at is when the chat *last* started waiting; after a transfer the first wait counts.
    waits = [t for t in (parse_ts(queued_at), parse_ts(first_queued)) if t]
    return Conversation(
        id=sid,
        started=min(starts),
        library=library,
        desk=desk or (seat.split("/", 1)[0] if seat else None),
        tags=tags,
        queued_at=min(waits, default=None),
        answered_at=parse_ts(answered_at),
        ended_at=parse_ts(ended_at),
        left_message=first_left is not None,
        lines=lines,
        rating=rating if isinstance(rating, int) and 1 <= rating <= 5 else None,
        bot_answers=tuple(dict.fromkeys(bot.answers)) if bot else (),
        bot_picks=tuple(dict.fromkeys(bot.picks)) if bot else (),
        handoff_after_bot=bot.handoff if bot else False,
    )


def _before(period: Period | None) -> str | None:
    # A session is created before its first line, so this only skips sessions that cannot count.
    end = period.end() if period else None
    return None if end is None else (end + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")


def _connect(database: str | Path) -> sqlite3.Connection:
    path = Path(database)
    if not path.is_file():
        raise ReportError(f"{database}: no such database file")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ReportError(f"{database}: cannot open the database ({exc})") from exc
