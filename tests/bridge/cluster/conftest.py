"""Each cluster test takes an empty database on the test run's PostgreSQL server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bridge.cluster.bridges import Cluster, start_cluster
from tests.bridge.pg import PrivatePostgres


@pytest.fixture
async def dsn(postgres: PrivatePostgres) -> str:
    return await postgres.new_database()


@pytest.fixture
async def cluster(tmp_path: Path, dsn: str) -> AsyncIterator[Cluster]:
    """Prosody with two component domains; the test starts the bridges it needs."""
    c = await start_cluster(tmp_path, dsn)
    try:
        yield c
    finally:
        await c.close()
