"""Timer leases on a private PostgreSQL: one holder at a time, taken over when it runs out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bridge.cluster.leases import AllLeases, Lease, PgLeases

WAIT = 30  # seconds: only a bound on a hang, never a measured time
HOUR = 3600.0


@pytest.fixture
async def pool(dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    await PgLeases(pool).setup()
    yield pool
    await pool.close()


async def _until_taken(lease: Lease) -> None:
    """Ask once a round, as the housekeeping does, until the lease is this holder's."""
    for _ in range(WAIT * 20):
        if await lease.acquire():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{lease.holder} never got {lease.name}")


async def test_two_holders_ask_at_once_and_one_wins(pool: asyncpg.Pool) -> None:
    a, b = Lease(pool, "expiry", "bridge-a", HOUR), Lease(pool, "expiry", "bridge-b", HOUR)
    won = await asyncio.gather(a.acquire(), b.acquire())
    assert sorted(won) == [False, True]
    winner, loser = (a, b) if won[0] else (b, a)
    assert await winner.acquire()  # renewing keeps it
    assert not await loser.acquire()


async def test_when_the_winner_stops_renewing_the_other_takes_it_after_the_ttl(pool: asyncpg.Pool) -> None:
    a, b = Lease(pool, "rollover", "bridge-a", 0.5), Lease(pool, "rollover", "bridge-b", 0.5)
    assert await a.acquire()
    assert not await b.acquire()
    await _until_taken(b)
    assert not await a.acquire()  # a wakes up: the lease is no longer its own


async def test_a_release_hands_the_lease_over_at_once(pool: asyncpg.Pool) -> None:
    a, b = Lease(pool, "retention", "bridge-a", HOUR), Lease(pool, "retention", "bridge-b", HOUR)
    assert await a.acquire()
    assert not await b.acquire()
    await a.release()
    assert await b.acquire()
    assert not await a.acquire()


async def test_leases_of_several_timers_are_taken_in_one_round_each_by_one_bridge(pool: asyncpg.Pool) -> None:
    a, b = PgLeases(pool, "bridge-a", HOUR), PgLeases(pool, "bridge-b", HOUR)
    assert await a.hold(["expiry", "release"]) == {"expiry", "release"}
    assert await b.hold(["expiry", "release", "retention"]) == {"retention"}
    assert await a.hold(["expiry", "release", "retention"]) == {"expiry", "release"}
    await b.release()
    assert await a.hold(["expiry", "release", "retention"]) == {"expiry", "release", "retention"}


async def test_a_bridge_that_loses_postgresql_holds_no_lease(dsn: str) -> None:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    leases = PgLeases(pool, "bridge-a", HOUR)
    await leases.setup()
    assert await leases.hold(["expiry"]) == {"expiry"}
    await pool.close()
    assert await leases.hold(["expiry"]) == frozenset()
    assert leases.held == frozenset()


async def test_one_bridge_alone_holds_every_lease() -> None:
    assert await AllLeases().hold(["expiry", "rollover"]) == {"expiry", "rollover"}


async def test_a_bridge_sees_whether_another_one_is_running(pool: asyncpg.Pool) -> None:
    a, b = PgLeases(pool, "bridge-a", HOUR), PgLeases(pool, "bridge-b", HOUR)
    assert not await b.others_alive()
    await a.hold(["expiry"])
    assert await b.others_alive() and not await a.others_alive()
    await a.release()
    assert not await b.others_alive()
    assert not await AllLeases().others_alive()


async def test_bridges_starting_together_create_the_table_once(dsn: str) -> None:
    pools = [await asyncpg.create_pool(dsn, min_size=1, max_size=1) for _ in range(4)]
    try:
        await asyncio.gather(*(PgLeases(p).setup() for p in pools))
        assert await pools[0].fetchval("SELECT count(*) FROM leases") == 0
    finally:
        for p in pools:
            await p.close()
