"""What every user of PostgreSQL in the bridge shares: which errors mean "PostgreSQL is not
there", and a pooled connection that turns them into a StoreError."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bridge.errors import StoreError

PG_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


@asynccontextmanager
async def pooled(pool: Any) -> AsyncIterator[Any]:
    """A connection from `pool` (asyncpg's, or anything with the same `acquire()`); every
    failure to reach PostgreSQL is a StoreError."""
    try:
        async with pool.acquire() as conn:
            yield conn
    except PG_ERRORS as e:
        raise StoreError(str(e)) from e
