"""Each cluster test takes an empty database on the test run's PostgreSQL server."""

from __future__ import annotations

import pytest

from tests.bridge.pg import PrivatePostgres


@pytest.fixture
async def dsn(postgres: PrivatePostgres) -> str:
    return await postgres.new_database()
