"""One private PostgreSQL server for the cluster tests; each test takes an empty database on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.bridge.pg import PrivatePostgres


@pytest.fixture(scope="package")
def postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def dsn(postgres: PrivatePostgres) -> str:
    return await postgres.new_database()
