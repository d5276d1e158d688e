"""Shared fixtures: `stack` is a private Prosody plus the real bridge, torn down after the test."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite.core
import pytest

from tests.support.stack import Stack, start_stack


class _DaemonThread(threading.Thread):
    """aiosqlite's worker thread, as a daemon in the tests.

    A connection a test forgets to close would otherwise keep the interpreter from exiting
    after the last test, and the whole run would hang instead of finishing.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["daemon"] = True
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


aiosqlite.core.Thread = _DaemonThread  # type: ignore[misc]


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    s = await start_stack(tmp_path)
    try:
        yield s
    finally:
        await s.close()
