"""Finding a patron's chats for access and erasure requests; transcripts; deletion."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bridge.clock import format_ts
from bridge.privacy.contacts import contact_matcher
from bridge.privacy.db import rows, tables, transaction
from bridge.privacy.errors import QueryError

LIVE_FOR = timedelta(hours=24)  # a chat not ended and seen this recently may still be open


@dataclass(frozen=True)
class Request:
    """Which chats an access or erasure request is about."""

    session_ids: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    since: str | None = None  # store timestamps; chats created at or after
    until: str | None = None  # chats created before


async def find_chats(db: aiosqlite.Connection, req: Request) -> list[str]:
    """Session ids matching the request, oldest first; unknown session ids are an error."""
    if not req.session_ids and not req.contacts:
        raise QueryError("name the chats: --session p-… (repeatable) or --contact EMAIL|PHONE")
    found: set[str] = set()
    for sid in req.session_ids:
        if not await rows(db, "SELECT 1 FROM sessions WHERE id = ?", (sid,)):
            raise QueryError(
                f"--session {sid}: no such chat (ids look like p-7f3k2q; the console shows them)"
            )
        found.add(sid)
    if req.contacts:
        found |= await _by_contact(db, req)
    ordered = await rows(
        db,
        "SELECT id FROM sessions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id",
        (json.dumps(sorted(found)),),
    )
    return [r[0] for r in ordered]


async def _by_contact(db: aiosqlite.Connection, req: Request) -> set[str]:
    tests = [contact_matcher(c) for c in req.contacts]
    where, args = (
        "WHERE (? IS NULL OR s.created_at >= ?) AND (? IS NULL OR s.created_at < ?)",
        (req.since, req.since, req.until, req.until),
    )
    sql = [
        f"SELECT s.id, m.text FROM sessions s JOIN messages m ON m.session_id = s.id {where}",
        f"SELECT s.id, COALESCE(l.contact, '') || ' ' || l.text FROM sessions s"
        f" JOIN left_messages l ON l.session_id = s.id {where}",
    ]
    have = await tables(db)
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
    texts = await rows(db, " UNION ALL ".join(sql), args * len(sql))
    return {sid for sid, text in texts if any(t(text) for t in tests)}


async def transcript(db: aiosqlite.Connection, session_id: str) -> dict[str, Any]:
    """A chat as exported: session facts, lines, left messages, tags, event kinds."""
    (s,) = await rows(
        db,
        "SELECT id, library, lang, page, state, created_at, answered_at, ended_at,"
        " last_seen_at FROM sessions WHERE id = ?",
        (session_id,),
    )
    keys = ("id", "library", "lang", "page", "state", "created_at", "answered_at", "ended_at", "last_seen_at")
    chat: dict[str, Any] = dict(zip(keys, s, strict=True))
    chat["messages"] = [
        {"ts": ts, "sender": sender, "name": name, "text": text}
        for ts, sender, name, text in await rows(
            db, "SELECT ts, sender, name, text FROM messages WHERE session_id = ? ORDER BY seq", (session_id,)
        )
    ]
    chat["left_messages"] = [
        {"ts": ts, "text": text, "contact": contact, "status": status}
        for ts, text, contact, status in await rows(
            db,
            "SELECT ts, text, contact, status FROM left_messages WHERE session_id = ? ORDER BY seq",
            (session_id,),
        )
    ]
    await _add_followups_and_rating(db, chat)
    chat["tags"] = [
        r[0]
        for r in await rows(
            db, "SELECT tag_id FROM chat_tags WHERE session_id = ? ORDER BY ts, tag_id", (session_id,)
        )
    ]
    chat["events"] = [
        {"ts": ts, "kind": kind}
        for ts, kind in await rows(
            db, "SELECT ts, kind FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
        )
    ]
    return chat


async def _add_followups_and_rating(db: aiosqlite.Connection, chat: dict[str, Any]) -> None:
    """Answers to left messages and the rating, where the database has those tables."""
    session_id = chat["id"]
    have = await tables(db)
    if "followups" in have:
        for left, (answer, answered_at, mailed_to) in zip(
            chat["left_messages"],
            await rows(
                db,
                (
                    "SELECT f.answer, f.answered_at, f.mailed_to FROM left_messages l LEFT JOIN followups f"
                    " ON f.left_seq = l.seq WHERE l.session_id = ? ORDER BY l.seq"
                ),
                (session_id,),
            ),
            strict=True,
        ):
            left.update(answer=answer, answered_at=answered_at, mailed_to=mailed_to)
    if "ratings" in have:
        rating = await rows(db, "SELECT score, comment, ts FROM ratings WHERE session_id = ?", (session_id,))
        chat["rating"] = dict(zip(("score", "comment", "ts"), rating[0], strict=True)) if rating else None


async def summary_line(db: aiosqlite.Connection, session_id: str) -> str:
    """One line naming a chat for a confirmation prompt."""
    (row,) = await rows(
        db,
        (
            "SELECT s.created_at, s.library, s.state,"
            " (SELECT COUNT(*) FROM messages WHERE session_id = s.id),"
            " (SELECT COUNT(*) FROM left_messages WHERE session_id = s.id) FROM sessions s WHERE s.id = ?"
        ),
        (session_id,),
    )
    created, library, state, lines, left = row
    return f"{session_id}  {created}  {library}  {state}  {lines} line(s), {left} left message(s)"


async def live_among(db: aiosqlite.Connection, session_ids: Sequence[str], now: datetime) -> list[str]:
    """Chats not ended and seen within LIVE_FOR: the bridge may still be serving them."""
    recent = format_ts(now - LIVE_FOR)
    found = await rows(
        db,
        "SELECT id FROM sessions WHERE id IN (SELECT value FROM json_each(?))"
        " AND state != 'ended' AND last_seen_at >= ?",
        (json.dumps(list(session_ids)), recent),
    )
    return sorted(r[0] for r in found)


async def delete_chats(db: aiosqlite.Connection, session_ids: Sequence[str], now: datetime) -> int:
    """Delete chats and everything about them in one transaction; live chats are refused."""
    live = await live_among(db, session_ids, now)
    if live:
        raise QueryError(
            f"{', '.join(live)}: still open in the bridge; end the chat from a desk"
            " (/end) first, or wait a day"
        )
    ids = json.dumps(list(session_ids))
    have = await tables(db)
    async with transaction(db):
        if "followups" in have:
            await db.execute(
                "DELETE FROM followups WHERE left_seq IN (SELECT seq FROM left_messages"
                " WHERE session_id IN (SELECT value FROM json_each(?)))",
                (ids,),
            )
        await db.execute(
            "DELETE FROM privacy_left_marks WHERE seq IN (SELECT seq FROM left_messages"
            " WHERE session_id IN (SELECT value FROM json_each(?)))",
            (ids,),
        )
        for table in ("privacy_marks", "messages", "left_messages", "chat_tags", "events", "ratings"):
            if table not in have:
                continue
            await db.execute(
                f"DELETE FROM {table} WHERE session_id IN (SELECT value FROM json_each(?))", (ids,)
            )
        cur = await db.execute("DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(?))", (ids,))
        return cur.rowcount
