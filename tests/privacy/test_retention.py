"""apply_retention on realistic databases: redaction after end, anonymisation, idempotence."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bridge.privacy.errors import DatabaseError
from bridge.privacy.retention import RetentionResult, apply_retention
from bridge.store import Store
from tags.db import load_conversations
from tests.privacy import data
from tests.privacy.data import HETU, NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return data.build(tmp_path / "tiski.sqlite3", data.ALL)


def texts(path: Path, session_id: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return [
            r[0]
            for r in db.execute("SELECT text FROM messages WHERE session_id = ? ORDER BY seq", (session_id,))
        ]


def left(path: Path, session_id: str) -> list[tuple[str, str | None]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT text, contact FROM left_messages WHERE session_id = ?", (session_id,)))


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


async def run(path: Path, **kw: Any) -> RetentionResult:
    return await apply_retention(path, now=NOW, retention_days=365, **kw)


async def test_ended_chat_is_redacted_in_every_line(db_path: Path) -> None:
    result = await run(db_path)
    assert texts(db_path, "p-k7q2m9") == [
        "Hei! Kirjastokorttini [kortti] ei toimi verkkokirjastossa.",
        "Hei, tarkistan asian. Onko PIN-koodisi vaihdettu äskettäin?",
        "En ole vaihtanut, se on 4321. Hetuni on [hetu] jos tarvitsette.",
        "asiakkaan kortti [kortti] oli lukittu",
        "Avasin kortin. Palvelemme klo 10.00–16.00, uusi kortti maksaa 3 euroa.",
        "Kiitos! Soitan tarvittaessa numerosta 040 123 4567.",
    ]
    assert texts(db_path, "p-s8v1x4")[0] == "Mitt lånekort är [kort] och pinkoden är [PIN]."
    assert result.redacted_lines == 4


async def test_live_and_waiting_chats_keep_their_text(db_path: Path) -> None:
    await run(db_path)
    assert texts(db_path, "p-live01") == ["PIN-koodini 1234 ei käy, kortti 2 1234 5678 9012"]
    assert left(db_path, "p-left04") == [("Unohdin tunnusluvun, korttini on 2 9999 8888 7777", "040-7654321")]


async def test_answered_left_message_is_redacted_but_keeps_its_contact(db_path: Path) -> None:
    result = await run(db_path)
    assert left(db_path, "p-left03") == [("Kortin [kortti] PIN-koodi [PIN] ei toimi", "+358 40 123 4567")]
    assert result.redacted_left_messages == 1


async def test_old_chats_lose_text_contact_page_and_token_but_keep_what_reports_count(
    db_path: Path,
) -> None:
    before = load_conversations(db_path)
    result = await run(db_path)
    assert result.anonymised_chats == 2
    assert texts(db_path, "p-old001") == ["", ""]
    assert left(db_path, "p-old002") == [("", None)]
    with sqlite3.connect(db_path) as db:
        rows = dict(db.execute("SELECT id, page FROM sessions WHERE id LIKE 'p-old%'"))
        assert rows == {"p-old001": None, "p-old002": None}
        tokens = [r[0] for r in db.execute("SELECT token_hash FROM sessions WHERE id LIKE 'p-old%'")]
        assert all(t.startswith("erased:") for t in tokens)
        assert db.execute("SELECT COUNT(*) FROM events WHERE session_id = 'p-old001'").fetchone()[0] == 6
        assert db.execute("SELECT tag_id FROM chat_tags WHERE session_id = 'p-old001'").fetchall() == [
            ("varaaminen",)
        ]
        assert db.execute("SELECT state FROM sessions WHERE id = 'p-old002'").fetchone()[0] == "closed"
    assert load_conversations(db_path) == before
    assert texts(db_path, "p-k7q2m9")[1].startswith("Hei, tarkistan")  # recent chats keep text


async def test_a_second_run_changes_nothing(db_path: Path) -> None:
    await run(db_path)
    first = dump(db_path)
    again = await run(db_path)
    assert (
        again.redacted_chats,
        again.redacted_lines,
        again.anonymised_chats,
        again.redacted_left_messages,
    ) == (0, 0, 0, 0)
    assert dump(db_path) == first


async def test_lines_written_after_the_end_are_redacted_on_the_next_run(db_path: Path) -> None:
    await run(db_path)
    with sqlite3.connect(db_path) as db:
        db.execute(
            "INSERT INTO messages (session_id, line, msg_id, sender, text, ts) VALUES ('p-k7q2m9',"
            " (SELECT MAX(line) + 1 FROM messages WHERE session_id = 'p-k7q2m9'), 'n-late', 'note', ?,"
            " '2026-11-24T09:00:00.000Z')",
            (f"jälkikirjaus: hetu {HETU}",),
        )
    result = await run(db_path)
    assert texts(db_path, "p-k7q2m9")[-1] == "jälkikirjaus: hetu [hetu]"
    assert (result.redacted_chats, result.redacted_lines) == (1, 1)


async def test_without_redaction_old_chats_are_still_anonymised(db_path: Path) -> None:
    result = await run(db_path, redact_after_end=False)
    assert (result.redacted_lines, result.anonymised_chats) == (0, 2)
    assert "2 1234 5678 9012" in texts(db_path, "p-k7q2m9")[0]


async def test_a_chat_is_anonymised_a_day_after_it_ended_with_one_day_retention(db_path: Path) -> None:
    await apply_retention(db_path, now=NOW + timedelta(hours=23), retention_days=1)
    assert texts(db_path, "p-k7q2m9") == [""] * 6  # ended 2026-11-23 10:31
    assert texts(db_path, "p-live01") != [""]  # last seen 2026-11-24 11:58


async def test_small_batches_give_the_same_result(db_path: Path, tmp_path: Path) -> None:
    other = data.build(tmp_path / "other.sqlite3", data.ALL)
    await run(db_path)
    await run(other, batch=1)
    assert dump(other) == dump(db_path)


async def test_an_open_connection_can_be_given(db_path: Path) -> None:
    async with aiosqlite.connect(db_path, isolation_level=None) as db:
        result = await apply_retention(db, now=NOW, retention_days=365)
    assert result.anonymised_chats == 2


async def test_runs_while_the_bridge_writes(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "live.sqlite3")
    try:
        with sqlite3.connect(tmp_path / "live.sqlite3") as db:
            for chat in data.ALL:
                data.insert(db, chat)

        async def bridge_writes() -> None:
            for i in range(200):
                await store.add_message("p-live01", f"x{i}", "patron", f"rivi {i}", touch=True)

        async def retention_runs() -> None:
            for _ in range(20):
                await apply_retention(tmp_path / "live.sqlite3", now=NOW, retention_days=365, batch=1)

        await asyncio.gather(bridge_writes(), retention_runs())
        assert len(await store.history("p-live01")) == 201
    finally:
        await store.close()
    assert texts(tmp_path / "live.sqlite3", "p-old001") == ["", ""]


async def test_missing_file_and_foreign_database_are_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no such database file"):
        await apply_retention(tmp_path / "nope.sqlite3", now=NOW, retention_days=365)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(DatabaseError, match="not a Tiski bridge database"):
        await apply_retention(other, now=NOW, retention_days=365)
    assert not (tmp_path / "nope.sqlite3").exists()


async def test_naive_now_and_zero_days_are_refused(db_path: Path) -> None:
    with pytest.raises(ValueError, match="aware"):
        await apply_retention(db_path, now=NOW.replace(tzinfo=None), retention_days=365)
    with pytest.raises(ValueError, match="1 or more"):
        await apply_retention(db_path, now=NOW, retention_days=0)
