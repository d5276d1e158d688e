"""Finding a patron's chats for access and erasure requests; transcripts; deletion."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bridge.clock import format_ts
from bridge.privacy.contacts import contact_matcher
from bridge.privacy.db import Sql
from bridge.privacy.errors import QueryError

LIVE_FOR = timedelta(hours=24)  # a chat not ended and seen this recently may still be open


@dataclass(frozen=True)
class Request:
    """Which chats an access or erasure request is about."""

    session_ids: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    since: str | None = None  # store timestamps; chats created at or after
    until: str | None = None  # chats created before


async def find_chats(db: Sql, req: Request) -> list[str]:
    """Session ids matching the request, oldest first; unknown session ids are an error."""
    if not req.session_ids and not req.contacts:
        raise QueryError("name the chats: --session p-… (repeatable) or --contact EMAIL|PHONE")
    found: set[str] = set()
    for sid in req.session_ids:
        if not await db.rows("SELECT 1 FROM sessions WHERE id = ?", sid):
            raise QueryError(
                f"--session {sid}: no such chat (ids look like p-7f3k2q; the console shows them)"
            )
        found.add(sid)
    if req.contacts:
        found |= await _by_contact(db, req)
    ordered = await db.rows(
        f"SELECT id FROM sessions WHERE id IN ({db.each}) ORDER BY created_at, id", json.dumps(sorted(found))
    )
    return [r[0] for r in ordered]


async def _by_contact(db: Sql, req: Request) -> set[str]:
    tests = [contact_matcher(c) for c in req.contacts]
    where, args = (
        "WHERE (CAST(? AS TEXT) IS NULL OR s.created_at >= ?)"
        " AND (CAST(? AS TEXT) IS NULL OR s.created_at < ?)",
        (req.since, req.since, req.until, req.until),
    )
    sql = [
        f"SELECT s.id, m.text FROM sessions s JOIN messages m ON m.session_id = s.id {where}",
        f"SELECT s.id, COALESCE(l.contact, '') || ' ' || l.text FROM sessions s"
        f" JOIN left_messages l ON l.session_id = s.id {where}",
    ]
    have = await db.tables()
    if "followups" in have:
        sql.append(
            f"SELECT s.id, COALESCE(f.mailed_to, '') || ' ' || COALESCE(f.answer, '')"
            f" FROM sessions s JOIN left_messages l ON l.session_id = s.id"
            f" JOIN followups f ON f.left_seq = l.seq {where}"
        )
    if "ratings" in have:
        sql.append(
            f"SELECT s.id, COALESCE(r.comment, '') FROM sessions s"
            f" JOIN ratings r ON r.session_id = s.id {where}"
        )
    texts = await db.rows(" UNION ALL ".join(sql), *(args * len(sql)))
    return {sid for sid, text in texts if any(t(text) for t in tests)}


async def transcript(db: Sql, session_id: str) -> dict[str, Any]:
    """A chat as exported: session facts, lines, left messages, tags, event kinds."""
    (s,) = await db.rows(
        "SELECT id, library, lang, page, state, created_at, answered_at, ended_at,"
        " last_seen_at FROM sessions WHERE id = ?",
        session_id,
    )
    keys = ("id", "library", "lang", "page", "state", "created_at", "answered_at", "ended_at", "last_seen_at")
    chat: dict[str, Any] = dict(zip(keys, s, strict=True))
    chat["messages"] = [
        {"ts": ts, "sender": sender, "name": name, "text": text}
        for ts, sender, name, text in await db.rows(
            "SELECT ts, sender, name, text FROM messages WHERE session_id = ? ORDER BY line, seq", session_id
        )
    ]
    chat["left_messages"] = [
        {"ts": ts, "text": text, "contact": contact, "status": status}
        for ts, text, contact, status in await db.rows(
            "SELECT ts, text, contact, status FROM left_messages WHERE session_id = ? ORDER BY seq",
            session_id,
        )
    ]
    await _add_followups_and_rating(db, chat)
    chat["tags"] = [
        r[0]
        for r in await db.rows(
            "SELECT tag_id FROM chat_tags WHERE session_id = ? ORDER BY ts, tag_id", session_id
        )
    ]
    chat["events"] = [
        {"ts": ts, "kind": kind}
        for ts, kind in await db.rows(
            "SELECT ts, kind FROM events WHERE session_id = ? ORDER BY seq", session_id
        )
    ]
    return chat


async def _add_followups_and_rating(db: Sql, chat: dict[str, Any]) -> None:
    """Answers to left messages and the rating, where the database has those tables."""
    session_id = chat["id"]
    have = await db.tables()
    if "followups" in have:
        for left, (answer, answered_at, mailed_to) in zip(
            chat["left_messages"],
            await db.rows(
                "SELECT f.answer, f.answered_at, f.mailed_to FROM left_messages l LEFT JOIN followups f"
                " ON f.left_seq = l.seq WHERE l.session_id = ? ORDER BY l.seq",
                session_id,
            ),
            strict=True,
        ):
            left.update(answer=answer, answered_at=answered_at, mailed_to=mailed_to)
    if "ratings" in have:
        rating = await db.rows("SELECT score, comment, ts FROM ratings WHERE session_id = ?", session_id)
        chat["rating"] = dict(zip(("score", "comment", "ts"), rating[0], strict=True)) if rating else None


async def summary_line(db: Sql, session_id: str) -> str:
    """One line naming a chat for a confirmation prompt."""
    (row,) = await db.rows(
        "SELECT s.created_at, s.library, s.state,"
        " (SELECT COUNT(*) FROM messages WHERE session_id = s.id),"
        " (SELECT COUNT(*) FROM left_messages WHERE session_id = s.id) FROM sessions s WHERE s.id = ?",
        session_id,
    )
    created, library, state, lines, left = row
    return f"{session_id}  {created}  {library}  {state}  {lines} line(s), {left} left message(s)"


async def live_among(db: Sql, session_ids: Sequence[str], now: datetime) -> list[str]:
    """Chats not ended and seen within LIVE_FOR: the bridge may still be serving them."""
    recent = format_ts(now - LIVE_FOR)
    found = await db.rows(
        f"SELECT id FROM sessions WHERE id IN ({db.each}) AND state != 'ended' AND last_seen_at >= ?",
        json.dumps(list(session_ids)),
        recent,
    )
    return sorted(r[0] for r in found)


async def delete_chats(db: Sql, session_ids: Sequence[str], now: datetime) -> int:
    """Delete chats and everything about them in one transaction; live chats are refused."""
    live = await live_among(db, session_ids, now)
    if live:
        raise QueryError(
            f"{', '.join(live)}: still open in the bridge; end the chat from a desk"
            " (/end) first, or wait a day"
        )
    ids = json.dumps(list(session_ids))
    have = await db.tables()
    async with db.transaction():
        left_of_chats = f"SELECT seq FROM left_messages WHERE session_id IN ({db.each})"
        if "followups" in have:
            await db.execute(f"DELETE FROM followups WHERE left_seq IN ({left_of_chats})", ids)
        await db.execute(f"DELETE FROM privacy_left_marks WHERE seq IN ({left_of_chats})", ids)
        for table in ("privacy_marks", "messages", "left_messages", "chat_tags", "events", "ratings"):
            if table in have:
                await db.execute(f"DELETE FROM {table} WHERE session_id IN ({db.each})", ids)
        deleted = await db.execute(f"DELETE FROM sessions WHERE id IN ({db.each})", ids)
    if not await db.erase_traces():
        raise QueryError(
            f"deleted {deleted} chat(s), but old copies may remain in the -wal file: the database"
            " stayed busy; run `retention` again (it empties the -wal file)"
        )
    return deleted
