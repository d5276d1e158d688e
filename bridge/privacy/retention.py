"""Redact ended chats and anonymise old ones, in short batches, while the bridge runs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bridge.clock import format_ts
from bridge.privacy.db import (
    LANG_OF_CHAT,
    LINES_TO_MASK,
    MARK_MASKED,
    MASKED_THROUGH,
    SET_LINE_TEXT,
    Sql,
    connect,
)
from bridge.privacy.redact import DEFAULT_CARD_PATTERNS, masker, redact
from bridge.storage import Database

log = logging.getLogger(__name__)

BATCH = 100  # chats per transaction: each holds the write lock for milliseconds, not seconds


@dataclass(frozen=True)
class RetentionResult:
    """What one run changed."""

    redacted_chats: int = 0  # ended chats whose new lines were checked
    redacted_lines: int = 0  # chat lines whose text changed
    redacted_left_messages: int = 0  # texts of handled left messages and their answers that changed
    redacted_comments: int = 0  # rating comments whose text changed
    anonymised_chats: int = 0  # chats past retention emptied of text, contact and page
    cutoff: str = ""  # chats that ended (or were last seen) before this were anonymised

    def summary(self) -> str:
        """One line for the log or the terminal."""
        return (
            f"anonymised {self.anonymised_chats} chat(s) older than {self.cutoff}; redacted"
            f" {self.redacted_lines} line(s) in {self.redacted_chats} ended chat(s) and"
            f" {self.redacted_left_messages} left message(s) and"
            f" {self.redacted_comments} rating comment(s)"
        )


async def apply_retention(
    db: Database | str | Sql | aiosqlite.Connection,
    *,
    now: datetime,
    retention_days: int,
    redact_after_end: bool = True,
    card_patterns: Sequence[str] = DEFAULT_CARD_PATTERNS,
    batch: int = BATCH,
) -> RetentionResult:
    """Anonymise chats older than `retention_days`, then redact ended ones; idempotent."""
    if now.tzinfo is None:
        raise ValueError("now: give an aware datetime, e.g. datetime.now(UTC)")
    if retention_days < 1:
        raise ValueError(f"retention_days: expected 1 or more, got {retention_days}")
    cutoff = format_ts(now - timedelta(days=retention_days))
    stamp = format_ts(now)
    patterns = tuple(card_patterns)
    async with connect(db) as conn:
        have = await conn.tables()
        anonymised, _ = await _until_done(lambda: _anonymise_batch(conn, have, cutoff, stamp, batch))
        chats = lines = left = comments = 0
        if redact_after_end:
            chats, lines = await _until_done(lambda: _redact_batch(conn, patterns, batch))
            _, left = await _until_done(lambda: _redact_left_batch(conn, have, patterns, stamp, batch))
            if "ratings" in have:
                comments = await _redact_comments(conn, patterns)
        if not await conn.erase_traces():
            log.warning("retention: the -wal file could not be emptied now (busy); the next run tries again")
    result = RetentionResult(chats, lines, left, comments, anonymised, cutoff)
    log.info("retention: %s", result.summary())
    return result


async def _until_done(step: Callable[[], Awaitable[tuple[int, int]]]) -> tuple[int, int]:
    """Run batches until one finds nothing; sum (found, changed)."""
    found = changed = 0
    while True:
        n, c = await step()
        if not n:
            return found, changed
        found, changed = found + n, changed + c


async def _anonymise_batch(db: Sql, have: set[str], cutoff: str, stamp: str, batch: int) -> tuple[int, int]:
    async with db.transaction():
        ids = [
            r[0]
            for r in await db.rows(
                "SELECT s.id FROM sessions s LEFT JOIN privacy_marks p ON p.session_id = s.id"
                " WHERE COALESCE(s.ended_at, s.last_seen_at) < ? AND p.anonymised_at IS NULL LIMIT ?",
                cutoff,
                batch,
            )
        ]
        for sid in ids:
            await anonymise_chat(db, sid, stamp, have)
    return len(ids), len(ids)


async def anonymise_chat(db: Sql, session_id: str, stamp: str, have: set[str]) -> None:
    """Empty a chat's text, left messages, answers, rating comment, page URL; cut the token link."""
    if "followups" in have:
        await db.execute(
            "UPDATE followups SET answer = NULL, mailed_to = NULL WHERE left_seq IN"
            " (SELECT seq FROM left_messages WHERE session_id = ?)",
            session_id,
        )
    if "ratings" in have:
        await db.execute("UPDATE ratings SET comment = NULL WHERE session_id = ?", session_id)
    await db.execute("UPDATE messages SET text = '' WHERE session_id = ? AND text != ''", session_id)
    await db.execute("UPDATE left_messages SET text = '', contact = NULL WHERE session_id = ?", session_id)
    await db.execute("UPDATE sessions SET page = NULL, token_hash = 'erased:' || id WHERE id = ?", session_id)
    await db.execute(
        "INSERT INTO privacy_marks (session_id, redacted_through, anonymised_at)"
        " VALUES (?, (SELECT COALESCE(MAX(line), 0) FROM messages WHERE session_id = ?), ?)"
        " ON CONFLICT (session_id) DO UPDATE SET anonymised_at = excluded.anonymised_at,"
        " redacted_through = excluded.redacted_through",
        session_id,
        session_id,
        stamp,
    )


async def mask_lines(
    db: Sql, session_id: str, lang: str, through: int, mask: Callable[[str, str], str]
) -> int:
    """Mask a chat's lines after number `through` and remember how far it went; the number changed.

    The stores call it in the transaction that ends a chat; retention for lines added later.
    """
    lines = await db.rows(LINES_TO_MASK, session_id, through)
    changed = 0
    for seq, _, text in lines:
        new = mask(text, lang)
        if new != text:
            await db.execute(SET_LINE_TEXT, new, seq)
            changed += 1
    if lines:
        await db.execute(MARK_MASKED, session_id, lines[-1][1])
    return changed


async def mask_chat(db: Sql, session_id: str, mask: Callable[[str, str], str]) -> int:
    """Mask a chat's lines not masked yet (a store ending a chat); the number changed."""
    found = await db.rows(LANG_OF_CHAT, session_id)
    if not found:
        return 0
    mark = await db.rows(MASKED_THROUGH, session_id)
    return await mask_lines(db, session_id, found[0][0], mark[0][0] if mark else 0, mask)


async def _redact_batch(db: Sql, patterns: tuple[str, ...], batch: int) -> tuple[int, int]:
    changed = 0
    mask = masker(patterns)
    async with db.transaction():
        chats = await db.rows(
            "SELECT s.id, s.lang, COALESCE(p.redacted_through, 0) FROM sessions s"
            " LEFT JOIN privacy_marks p ON p.session_id = s.id"
            " WHERE s.state = 'ended' AND p.anonymised_at IS NULL AND EXISTS (SELECT 1 FROM messages m"
            "  WHERE m.session_id = s.id AND m.line > COALESCE(p.redacted_through, 0)) LIMIT ?",
            batch,
        )
        for sid, lang, through in chats:
            changed += await mask_lines(db, sid, lang, through, mask)
    return len(chats), changed


async def _redact_left_batch(
    db: Sql, have: set[str], patterns: tuple[str, ...], stamp: str, batch: int
) -> tuple[int, int]:
    """Left messages are redacted once answered or closed: until then a librarian needs them."""
    async with db.transaction():
        found = await db.rows(
            "SELECT l.seq, l.text, s.lang FROM left_messages l JOIN sessions s ON s.id = l.session_id"
            " LEFT JOIN privacy_left_marks k ON k.seq = l.seq"
            " WHERE l.status IN ('answered', 'closed') AND k.seq IS NULL LIMIT ?",
            batch,
        )
        changed = 0
        for seq, text, lang in found:
            new = redact(text, card_patterns=patterns, lang=lang)
            if new != text:
                await db.execute("UPDATE left_messages SET text = ? WHERE seq = ?", new, seq)
                changed += 1
            if "followups" in have and await _redact_answer(db, seq, patterns, lang):
                changed += 1
            await db.execute("INSERT INTO privacy_left_marks (seq, redacted_at) VALUES (?, ?)", seq, stamp)
    return len(found), changed


async def _redact_answer(db: Sql, seq: int, patterns: tuple[str, ...], lang: str) -> bool:
    """The librarian's answer to a left message, as kept in `followups`; True if it changed."""
    found = await db.rows("SELECT answer FROM followups WHERE left_seq = ? AND answer IS NOT NULL", seq)
    if not found:
        return False
    new = redact(found[0][0], card_patterns=patterns, lang=lang)
    if new == found[0][0]:
        return False
    await db.execute("UPDATE followups SET answer = ? WHERE left_seq = ?", new, seq)
    return True


async def _redact_comments(db: Sql, patterns: tuple[str, ...]) -> int:
    """Rating comments come after the end, so each run looks at those not yet anonymised."""
    changed = 0
    async with db.transaction():
        found = await db.rows(
            "SELECT r.session_id, r.comment, s.lang FROM ratings r JOIN sessions s ON s.id = r.session_id"
            " LEFT JOIN privacy_marks p ON p.session_id = r.session_id"
            " WHERE r.comment IS NOT NULL AND r.comment != '' AND p.anonymised_at IS NULL"
        )
        for sid, comment, lang in found:
            new = redact(comment, card_patterns=patterns, lang=lang)
            if new != comment:
                await db.execute("UPDATE ratings SET comment = ? WHERE session_id = ?", new, sid)
                changed += 1
    return changed
