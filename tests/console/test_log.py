"""The local log: chats, lines once each, FTS5 search, drafts, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.backend import ChatMeta, Line
from console.log import ChatLog, fts_query


async def test_lines_stored_once_and_searchable(tmp_path) -> None:
    log = await ChatLog(tmp_path / "log.sqlite3").open()
    try:
        now = datetime.now(UTC)
        await log.save_chat(ChatMeta("p-1", library="tampere"))
        line = Line("p-1", now, "patron", "P", "Miten uusin lainat?", "m1")
        await log.save_line(line)
        await log.save_line(line)
        await log.save_lines([Line("p-2", now, "patron", "P", "Aukioloajat juhannuksena", "m2")])
        assert len(await log.lines("p-1")) == 1
        hits = await log.search("lain")
        assert [h.session for h in hits] == ["p-1"]
        assert hits[0].library == "tampere" and "\x02lainat\x03" in hits[0].snippet
        assert await log.search('"; DROP TABLE lines; --') == []
        assert await log.search("") == []
    finally:
        await log.close()


async def test_drafts_and_retention(tmp_path) -> None:
    path = tmp_path / "log.sqlite3"
    log = await ChatLog(path).open()
    old = datetime.now(UTC) - timedelta(days=40)
    await log.save_chat(ChatMeta("p-old"), seen=old)
    await log.save_line(Line("p-old", old, "patron", "", "vanha asia", "m1"))
    await log.save_chat(ChatMeta("p-new"))
    await log.set_draft("p-new", "kesken")
    await log.close()

    log = await ChatLog(path).open()
    try:
        assert await log.drafts() == {"p-new": "kesken"}
        assert await log.prune(30) == 1
        assert await log.search("vanha") == []
        await log.set_draft("p-new", "")
        assert await log.drafts() == {}
    finally:
        await log.close()


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('lainat "NEAR" *') == '"lainat"* "NEAR"*'


async def test_the_local_log_is_private_whatever_the_umask(tmp_path) -> None:
    import os
    import stat

    from console.log import ChatLog

    old = os.umask(0o022)
    try:
        log = await ChatLog(tmp_path / "seat" / "console.sqlite3").open()
        await log.db.execute("CREATE TABLE IF NOT EXISTS t (x)")
        await log.db.execute("INSERT INTO t VALUES (1)")
        files = [p for p in (tmp_path / "seat").iterdir()]
        assert {p.name for p in files} >= {"console.sqlite3", "console.sqlite3-wal"}
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        assert stat.S_IMODE((tmp_path / "seat").stat().st_mode) == 0o700
        await log.close()
    finally:
        os.umask(old)
