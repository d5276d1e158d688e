"""The bus and the leases a bridge runs with: in-process on SQLite, PostgreSQL's when shared."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from bridge.cluster.bus import Bus, LocalBus, PgBus
from bridge.cluster.leases import AllLeases, PgLeases, TimerLeases, new_holder
from bridge.cluster.presence import LocalPresence, PgPresence, Presence
from bridge.errors import StoreError


@dataclass
class Cluster:
    """What ties this bridge to the others (nothing, for one bridge on SQLite)."""

    bus: Bus = field(default_factory=LocalBus)
    leases: TimerLeases = field(default_factory=AllLeases)
    holder: str = "this bridge"
    presence: Presence = field(default_factory=LocalPresence)
    _pool: asyncpg.Pool | None = None

    @classmethod
    async def open(cls, dsn: str | None, *, lease_seconds: float = 10.0) -> Cluster:
        """One bridge (`dsn` None), or one of several sharing the PostgreSQL database `dsn`."""
        if dsn is None:
            return cls()
        holder = new_holder()
        try:
            pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4, command_timeout=10)
        except (asyncpg.PostgresError, OSError, TimeoutError) as e:
            raise StoreError(f"PostgreSQL leases at {dsn.split('@')[-1]}: {e}") from e
        leases = PgLeases(pool, holder, lease_seconds)
        bus = PgBus(dsn, name=holder)
        presence = PgPresence(pool, holder)
        try:
            await leases.setup()
            await presence.start()
            await bus.start()
        except BaseException:
            await presence.close()
            await pool.close()
            raise
        return cls(bus, leases, holder, presence, pool)

    def bind(self, store: object) -> None:
        """Sign the store's notifications with this bridge's name (its own bus skips them)."""
        from bridge.pgstore import PgStore

        if isinstance(store, PgStore):
            store.origin = self.holder

    async def close(self) -> None:
        """Give the leases back (another bridge takes them at once), then stop listening."""
        await self.leases.release()
        await self.presence.close()
        await self.bus.close()
        if self._pool is not None:
            await self._pool.close()
