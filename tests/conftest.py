"""Shared fixtures: `stack` is a private Prosody plus the real bridge, torn down after the test.

The bridge's store is SQLite unless the run says `--store postgresql` (or the environment
`TISKI_TEST_STORE=postgresql`); tests marked `both_stores` run once on each. PostgreSQL is one
private server for the whole run (tests/bridge/pg.py) with a new database for each test.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiosqlite.core
import pytest

from tests.bridge import pg
from tests.bridge.pg import STORES, PrivatePostgres
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store",
        choices=STORES,
        default=os.environ.get("TISKI_TEST_STORE") or "sqlite",
        help="the real bridge's store in integration tests (default: $TISKI_TEST_STORE or sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--store") not in STORES:
        raise pytest.UsageError(f"TISKI_TEST_STORE: expected one of {', '.join(STORES)}")
    config.addinivalue_line("markers", "both_stores: runs once on SQLite and once on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_stores") is not None:
        metafunc.parametrize("store_kind", STORES, indirect=True)


@pytest.fixture(autouse=True)
def store_kind(request: pytest.FixtureRequest) -> Iterator[str]:
    """The store this test's bridge uses (tests/bridge/pg.py `bridge_database`)."""
    kind = getattr(request, "param", None) or request.config.getoption("--store")
    before, pg.store_kind = pg.store_kind, kind
    try:
        yield kind
    finally:
        pg.store_kind = before


@pytest.fixture(scope="session")
def postgres() -> PrivatePostgres:
    """The run's PostgreSQL server (started on first use); `await postgres.new_database()`."""
    return pg.shared()


@pytest.fixture(scope="session", autouse=True)
def _stop_postgres() -> Iterator[None]:
    yield
    pg.stop_shared()
