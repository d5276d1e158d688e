"""The store's group commit: concurrent writes share a transaction, fail alone, return after COMMIT."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bridge.chat import ChatState
from bridge.errors import StoreError
from bridge.store import Store


@pytest.fixture
async def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = await Store.open(tmp_path / "t.sqlite3")
    yield s
    await s.close()


async def test_concurrent_writes_all_commit(store: Store) -> None:
    await asyncio.gather(
        *(store.create_session(f"p-{i}", f"t{i}", "tampere", "fi", None, ChatState.BOT) for i in range(50))
    )
    results = await asyncio.gather(
        *(store.add_message(f"p-{i % 50}", f"m{i}", "patron", f"line {i}", touch=True) for i in range(500))
    )
    assert all(new for _, new in results)
    assert len({m.seq for m, _ in results}) == 500
    stored = [len(await store.history(f"p-{i}")) for i in range(50)]
    assert sum(stored) == 500


async def test_a_failing_write_fails_alone(store: Store) -> None:
    await store.create_session("p-a", "t", "tampere", "fi", None, ChatState.BOT)
    good = store.add_message("p-a", "m1", "patron", "hei")
    bad = store.add_message("p-nobody", "m1", "patron", "hei")  # foreign key: no such session
    also_good = store.add_message("p-a", "m2", "patron", "moi")
    results = await asyncio.gather(good, bad, also_good, return_exceptions=True)
    assert isinstance(results[1], StoreError)
    assert [m.text for m in await store.history("p-a")] == ["hei", "moi"]


async def test_repeated_id_is_stored_once_in_one_group(store: Store) -> None:
    await store.create_session("p-a", "t", "tampere", "fi", None, ChatState.BOT)
    (m1, new1), (m2, new2) = await asyncio.gather(
        store.add_message("p-a", "m1", "patron", "hei"), store.add_message("p-a", "m1", "patron", "hei")
    )
    assert (new1, new2) == (True, False)
    assert m1 == m2


async def test_written_before_the_call_returns(tmp_path: Path) -> None:
    s = await Store.open(tmp_path / "t.sqlite3")
    await s.create_session("p-a", "t", "tampere", "fi", None, ChatState.BOT)
    await s.add_message("p-a", "m1", "patron", "hei")
    other = await Store.open(tmp_path / "t.sqlite3")  # another connection sees only committed rows
    assert [m.text for m in await other.history("p-a")] == ["hei"]
    await other.close()
    await s.close()
