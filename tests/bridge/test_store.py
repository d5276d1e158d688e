"""The store without any server: durability rules, idempotent messages, events, tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.chat import ChatState
from bridge.errors import StoreError
from bridge.store import Store, hash_token


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "t.sqlite3")
    yield s
    await s.close()


async def test_wal_and_synchronous_normal(store: Store) -> None:
    assert (await store._read("PRAGMA journal_mode"))[0][0] == "wal"
    assert (await store._read("PRAGMA synchronous"))[0][0] == 1  # NORMAL


async def test_session_found_by_token_and_token_not_stored(store: Store, tmp_path: Path) -> None:
    s = await store.create_session("p-abc", "secret-token", "tampere", "fi", None, ChatState.BOT)
    assert s.state is ChatState.BOT
    assert (await store.session_by_token("secret-token")).id == "p-abc"
    assert await store.session_by_token("other") is None
    raw = (tmp_path / "t.sqlite3").read_bytes()
    assert b"secret-token" not in raw
    assert (await store._read("SELECT token_hash FROM sessions"))[0][0] == hash_token("secret-token")


async def test_repeated_message_id_is_stored_once(store: Store) -> None:
    await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.BOT)
    m1, new1 = await store.add_message("p-abc", "m1", "patron", "hei")
    m2, new2 = await store.add_message("p-abc", "m1", "patron", "hei again")
    assert new1 and not new2
    assert m2.text == "hei" and m1.seq == m2.seq
    assert [m.text for m in await store.history("p-abc")] == ["hei"]


async def test_state_change_and_event_in_one_transaction(store: Store) -> None:
    await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.BOT)
    await store.set_state(
        "p-abc",
        ChatState.ACTIVE,
        "accepted",
        seat="tampere@x/desk-1",
        desk="tampere@x",
        owner="tampere@x/desk-1",
    )
    s = await store.session("p-abc")
    assert s.state is ChatState.ACTIVE and s.owner == "tampere@x/desk-1"
    kinds = [e[1] for e in await store.events("p-abc")]
    assert kinds == ["created", "accepted"]


async def test_tags_added_once_and_removed(store: Store) -> None:
    await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.ACTIVE)
    await store.add_tags("p-abc", ["loans", "fees"], "s")
    await store.add_tags("p-abc", ["loans"], "s")
    assert sorted(await store.tags("p-abc")) == ["fees", "loans"]
    await store.remove_tags("p-abc", ["fees"], "s")
    assert await store.tags("p-abc") == ["loans"]


async def test_refused_write_raises_store_error_and_stores_nothing(store: Store) -> None:
    await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.BOT)
    await store._db.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError):
        await store.add_message("p-abc", "m1", "patron", "hei")
    await store._db.execute("PRAGMA query_only = OFF")
    assert await store.history("p-abc") == []


async def test_data_survives_reopen(tmp_path: Path) -> None:
    s = await Store.open(tmp_path / "t.sqlite3")
    await s.create_session("p-abc", "t", "tampere", "fi", "https://x", ChatState.QUEUED)
    await s.add_message("p-abc", "m1", "patron", "hei")
    await s.close()
    s2 = await Store.open(tmp_path / "t.sqlite3")
    assert [c.id for c in await s2.live_sessions()] == ["p-abc"]
    assert (await s2.history("p-abc"))[0].text == "hei"
    await s2.close()
