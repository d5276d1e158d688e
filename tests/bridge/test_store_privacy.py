"""The store keeps personal data private: files 0600, chat lines masked when the chat ends."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bridge.chat import ChatState
from bridge.privacy.config import PrivacyConfig
from bridge.store import Store

LINE = "Korttini 2 1234 5678 9012, PINin 7531, hetu 131052-308T"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _open_up(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(f"{path}{suffix}")
        if p.exists():
            p.chmod(0o644)


def _side_modes(path: Path) -> set[int]:
    sides = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    return {_mode(p) for p in sides if p.exists()}


@pytest.mark.parametrize("umask", [0o022, 0o000])
async def test_database_wal_and_shm_are_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        store = await Store.open(tmp_path / "var" / "tiski.sqlite3")
        await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.BOT)
        await store.add_message("p-abc", "m1", "patron", "hei")
        files = [tmp_path / "var" / f"tiski.sqlite3{s}" for s in ("", "-wal", "-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(tmp_path / "var") == 0o700
        await store.close()
    finally:
        os.umask(old)


async def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "tiski.sqlite3"
    store = await Store.open(path)
    await store.close()
    _open_up(path)
    store = await Store.open(path)
    assert _mode(path) == 0o600
    assert _side_modes(path) <= {0o600}
    await store.close()


async def _chat(store: Store) -> None:
    await store.create_session("p-abc", "t", "tampere", "fi", None, ChatState.ACTIVE)
    await store.add_message("p-abc", "m1", "patron", LINE)
    await store.add_message("p-abc", "m2", "librarian", "Kiitos, tarkistan kortin 2 1234 5678 9012")


async def test_lines_are_masked_in_the_transaction_that_ends_the_chat(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "t.sqlite3")
    await _chat(store)
    await store.set_state("p-abc", ChatState.QUEUED, "queued")
    assert (await store.history("p-abc"))[0].text == LINE  # a live chat is left alone
    await store.set_state("p-abc", ChatState.ENDED, "ended", ended_at="2026-11-23T10:00:00.000Z")
    texts = [m.text for m in await store.history("p-abc")]
    assert texts == ["Korttini [kortti], PINin [PIN], hetu [hetu]", "Kiitos, tarkistan kortin [kortti]"]
    marks = await store._read("SELECT redacted_through FROM privacy_marks WHERE session_id = 'p-abc'")
    assert marks and marks[0][0] == (await store.history("p-abc"))[-1].line == 2
    await store.close()


async def test_configured_card_patterns_and_the_switch_are_followed(tmp_path: Path) -> None:
    off = await Store.open(tmp_path / "off.sqlite3", privacy=PrivacyConfig(redact_after_end=False))
    await _chat(off)
    await off.set_state("p-abc", ChatState.ENDED, "ended")
    assert (await off.history("p-abc"))[0].text == LINE
    await off.close()
    custom = await Store.open(tmp_path / "c.sqlite3", privacy=PrivacyConfig(card_patterns=("X[0-9]{4}",)))
    await custom.create_session("p-abc", "t", "tampere", "en", None, ChatState.ACTIVE)
    await custom.add_message("p-abc", "m1", "patron", "card X1234 please")
    await custom.set_state("p-abc", ChatState.ENDED, "ended")
    assert (await custom.history("p-abc"))[0].text == "card [card] please"
    await custom.close()
