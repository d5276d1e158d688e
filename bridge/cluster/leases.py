"""Leases: which bridge runs each service-wide timer (queue timeout, rollover, expiry …).

A lease is a row `leases (name, holder, expires_at)`. A bridge holds it while it renews it in
time; when the holder stops renewing (it died, or lost PostgreSQL), the lease runs out and the
next bridge to ask takes it. Only PostgreSQL's clock is read, so the bridges' clocks do not
matter. A lease decides who looks; the write that a timer makes still checks its precondition
under the row lock, so even a lease with two holders (a paused bridge waking) fires once.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bridge.cluster.pg import pooled
from bridge.errors import StoreError
from bridge.pgstore import create_tables

log = logging.getLogger(__name__)

LEASES_SCHEMA = """
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT,
    expires_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
"""

_TAKE = """
UPDATE leases SET holder = $2, expires_at = now() + make_interval(secs => $3)
 WHERE name = ANY($1::text[]) AND (holder = $2 OR expires_at < now())
 RETURNING name
"""


def new_holder() -> str:
    """A name for this bridge process, unique among the bridges of one service."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class TimerLeases(Protocol):
    """Which of the named timers this bridge may run in this round."""

    async def hold(self, names: Iterable[str]) -> frozenset[str]:
        """Take or renew the leases; the names this bridge holds now."""

    async def release(self) -> None:
        """Give back every lease held (clean stop): another bridge takes them at once."""

    def holds(self, name: str) -> bool:
        """The lease was this bridge's in the last round."""

    async def others_alive(self) -> bool:
        """Another bridge holds a lease that has not run out (it is running now)."""


class AllLeases:
    """One bridge alone: it holds every lease."""

    async def hold(self, names: Iterable[str]) -> frozenset[str]:
        return frozenset(names)

    async def release(self) -> None:
        return None

    def holds(self, name: str) -> bool:
        return True

    async def others_alive(self) -> bool:
        return False


class PgLeases:
    """Leases in PostgreSQL's `leases` table, taken and renewed in one statement a round."""

    def __init__(self, pool: Any, holder: str | None = None, ttl: float = 10.0) -> None:
        self.pool = pool  # an asyncpg pool (or anything with the same `acquire()`)
        self.holder = holder or new_holder()
        self.ttl = ttl
        self.held: frozenset[str] = frozenset()
        self._known: set[str] = set()

    async def setup(self) -> None:
        """Create the table if it is missing."""
        async with self._conn() as conn:
            await create_tables(conn, LEASES_SCHEMA)

    def _conn(self) -> AbstractAsyncContextManager[Any]:
        return pooled(self.pool)

    async def hold(self, names: Iterable[str]) -> frozenset[str]:
        """Take or renew every lease in `names` this bridge can; on a failed round, none."""
        wanted = sorted(set(names))
        try:
            async with self._conn() as conn:
                missing = [n for n in wanted if n not in self._known]
                if missing:
                    await conn.execute(
                        "INSERT INTO leases (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING",
                        missing,
                    )
                    self._known.update(missing)
                rows = await conn.fetch(_TAKE, wanted, self.holder, self.ttl)
        except StoreError as e:
            if self.held:
                log.warning("leases: cannot renew (%s); running no service-wide timer", e)
            self.held = frozenset()
            return self.held
        got = frozenset(r["name"] for r in rows)
        held = (self.held - set(wanted)) | got
        if held != self.held:
            log.info("leases held by %s: %s", self.holder, ", ".join(sorted(held)) or "none")
        self.held = held
        return got

    def holds(self, name: str) -> bool:
        return name in self.held

    async def others_alive(self) -> bool:
        async with self._conn() as conn:
            alive: bool = await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM leases WHERE holder <> $1 AND expires_at > now())",
                self.holder,
            )
        return alive

    async def release(self) -> None:
        if not self.held:
            return
        try:
            async with self._conn() as conn:
                await conn.execute(
                    "UPDATE leases SET holder = NULL, expires_at = '-infinity'"
                    " WHERE name = ANY($1::text[]) AND holder = $2",
                    sorted(self.held),
                    self.holder,
                )
        except StoreError as e:
            log.warning("leases: could not give them back (%s); they run out by themselves", e)
        self.held = frozenset()


class Lease:
    """One named lease (the table above) for one holder."""

    def __init__(self, pool: Any, name: str, holder: str, ttl: float = 10.0) -> None:
        self.name = name
        self._leases = PgLeases(pool, holder, ttl)

    @property
    def holder(self) -> str:
        return self._leases.holder

    async def acquire(self) -> bool:
        """Take or renew it; True while this holder has it."""
        return self.name in await self._leases.hold([self.name])

    async def release(self) -> None:
        await self._leases.release()
