"""The tools that read the bridge's database work on either store, given the same `database:`.

The data is written through the store's own calls (as the bridge writes it); then retention,
the privacy commands (`python -m bridge.privacy`) and the tag reports (`python -m tags`) run
against the SQLite file or the postgresql:// URL.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bridge.chat import ChatState
from bridge.clock import ManualClock
from bridge.config import parse_config
from bridge.errors import ConfigError
from bridge.privacy import apply_retention
from bridge.privacy.cli import main as privacy_main
from bridge.storage import ChatStorage, FollowupStatus, PostgresUrl, open_store, parse_database
from tags.db import load_conversations
from tests.bridge.pg import STORES, PrivatePostgres

OLD = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)  # a chat older than a year at NOW
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)
SEAT = "tampere@chat.example/desk-1"
CARD = "Korttini on 2 1234 5678 9012"


@pytest.fixture(params=STORES)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "tiski.sqlite3")
    server: PrivatePostgres = request.getfixturevalue("postgres")
    return await server.new_database()


@pytest.fixture
async def store(database: str, tmp_path: Path) -> AsyncIterator[ChatStorage]:
    clock = ManualClock(OLD)
    s = await open_store(parse_database(database, tmp_path), clock)
    # An old chat, long ended, with a contact: anonymised by retention.
    await s.create_session("p-old", "t-old", "nokia", "fi", "https://nokia.example/", ChatState.ACTIVE)
    await s.add_message("p-old", "m1", "patron", "Soittakaa 040 123 4567", touch=True)
    await s.set_state("p-old", ChatState.ENDED, "ended", ended_at=clock.stamp())
    clock.advance((T0 - OLD).total_seconds())
    # A chat that ends today: masked at the end; a line added after the end is left to retention.
    await s.create_session("p-new", "t-new", "tampere", "fi", None, ChatState.QUEUED)
    await s.add_message("p-new", "m1", "patron", CARD, touch=True)
    clock.advance(30)
    await s.set_state(
        "p-new", ChatState.ACTIVE, "accepted", seat=SEAT, desk="tampere@chat.example", owner=SEAT
    )
    await s.add_message("p-new", "l1", "librarian", "Selvä.", name="Tampere", seat=SEAT)
    await s.add_tags("p-new", ["kirjautumisasiat"], SEAT)
    await s.set_state("p-new", ChatState.ENDED, "ended", ended_at=clock.stamp())
    await s.add_message("p-new", "m2", "patron", "Ja PIN-koodi 4321")
    await s.add_rating("p-new", 4, "Kiitos, kortti 2 1234 5678 9012 toimii")
    # A left message, answered: redacted by retention.
    await s.create_session("p-left", "t-left", "tampere", "fi", None, ChatState.CLOSED)
    await s.leave_message("p-left", f"{CARD}, soita", "patron@example.org")
    f = await s.latest_followup("p-left")
    assert f is not None
    answered = {"answer": "Kortti 2 1234 5678 9012 on auki", "answered_by": SEAT, "mailed_to": None}
    await s.set_followup(
        f, FollowupStatus.ANSWERED, "followup_answered", SEAT, "tampere@chat.example", answered
    )
    await s.set_state("p-left", ChatState.ENDED, "ended", ended_at=clock.stamp())
    yield s
    await s.close()


async def test_retention_redacts_and_anonymises(store: ChatStorage, database: str) -> None:
    result = await apply_retention(database, now=NOW, retention_days=365)
    assert (result.anonymised_chats, result.redacted_lines, result.redacted_comments) == (1, 1, 1)
    assert result.redacted_left_messages == 2  # the left message and its answer
    assert [m.text for m in await store.history("p-old")] == [""]
    assert await store.session_by_token("t-old") is None  # the token no longer leads to it
    assert [m.text for m in await store.history("p-new")] == [
        "Korttini on [kortti]",
        "Selvä.",
        "Ja PIN-koodi [PIN]",
    ]
    assert await store.rating("p-new") == (4, "Kiitos, kortti [kortti] toimii")
    assert [t for t, _, _ in await store.left_messages("p-left")] == ["Korttini on [kortti], soita"]
    again = await apply_retention(database, now=NOW, retention_days=365)
    assert (again.anonymised_chats, again.redacted_lines, again.redacted_left_messages) == (0, 0, 0)


def _privacy(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = privacy_main(list(argv), stdin=io.StringIO(), stdout=out, stderr=err, now=NOW)
    return code, out.getvalue(), err.getvalue()


async def test_export_and_delete_by_contact(store: ChatStorage, database: str) -> None:
    code, out, err = await asyncio.to_thread(
        _privacy, "export", "--database", database, "--contact", "patron@example.org"
    )
    assert code == 0, err
    (chat,) = json.loads(out)["chats"]
    assert chat["id"] == "p-left"
    assert chat["left_messages"][0]["answer"] == "Kortti 2 1234 5678 9012 on auki"
    code, out, err = await asyncio.to_thread(
        _privacy, "delete", "--database", database, "--session", "p-new", "--session", "p-left", "--yes"
    )
    assert code == 0, err
    assert out.splitlines()[-1] == "deleted 2 chat(s)"
    assert await store.session("p-new") is None and await store.history("p-new") == []
    assert await store.followups(tuple(FollowupStatus)) == []
    assert await store.session("p-old") is not None


async def test_a_live_chat_is_not_deleted(store: ChatStorage, database: str) -> None:
    await store.create_session("p-live", "t-live", "tampere", "fi", None, ChatState.ACTIVE)
    code, _, err = await asyncio.to_thread(
        _privacy, "delete", "--database", database, "--session", "p-live", "--yes"
    )
    assert code == 1 and "p-live: still open in the bridge" in err
    assert await store.session("p-live") is not None


async def test_tag_report_reads_the_same_conversations(store: ChatStorage, database: str) -> None:
    convs = await asyncio.to_thread(load_conversations, database)
    assert [c.id for c in convs] == ["p-old", "p-new", "p-left"]
    new = convs[1]
    assert (new.desk, new.tags, new.rating, new.lines) == (
        "tampere@chat.example",
        ("kirjautumisasiat",),
        4,
        3,
    )
    assert convs[2].left_message


def test_database_is_a_file_or_a_postgresql_url(tmp_path: Path) -> None:
    assert parse_database("var/tiski.sqlite3", tmp_path) == tmp_path / "var" / "tiski.sqlite3"
    url = parse_database("postgresql://tiski:secret@db.example:5433/tiski", tmp_path)
    assert url == PostgresUrl("postgresql://tiski:secret@db.example:5433/tiski")
    assert "secret" not in str(url) + repr(url)
    assert isinstance(parse_database("postgres:///tiski", tmp_path), PostgresUrl)


@pytest.mark.parametrize(
    "value",
    ["mysql://tiski@db.example/tiski", "sqlite:///var/tiski.sqlite3", "postgresql:tiski", "http://x/"],
)
def test_any_other_url_is_a_config_error(tmp_path: Path, value: str) -> None:
    raw = {
        "xmpp": {"component": "patrons.chat.example", "secret": "s3cret"},
        "database": value,
        "rota": "rota.yaml",
    }
    with pytest.raises(ConfigError, match=r"database: .* is not a file path or a PostgreSQL URL"):
        parse_config(raw, tmp_path)
    raw["database"] = "postgresql://tiski@127.0.0.1:5432/tiski"
    assert parse_config(raw, tmp_path).database == PostgresUrl("postgresql://tiski@127.0.0.1:5432/tiski")
