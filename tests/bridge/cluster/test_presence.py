"""Presence shared by the bridges, on a private PostgreSQL: desk seats and patrons' sockets as
every bridge sees them, and a bridge that stops beating counts as holding no socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bridge.cluster.bus import PgBus
from bridge.cluster.events import Event, PatronEvent, SeatEvent
from bridge.cluster.presence import LocalPresence, PgPresence

WAIT = 30  # seconds: only a bound on a hang, never a measured time


@pytest.fixture
async def pool(dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=6)
    yield pool
    await pool.close()


@pytest.fixture
async def two(pool: asyncpg.Pool) -> AsyncIterator[tuple[PgPresence, PgPresence]]:
    a, b = PgPresence(pool, "bridge-a", beat_seconds=0.1, alive_seconds=1.0), PgPresence(pool, "bridge-b")
    await a.start()
    await b.start()
    yield a, b
    await a.close()
    await b.close()


async def test_a_seat_seen_by_one_bridge_is_known_to_the_other_and_announced(
    dsn: str, two: tuple[PgPresence, PgPresence]
) -> None:
    a, b = two
    bus = PgBus(dsn, name="bridge-b")
    got: list[Event] = []
    bus.subscribe(lambda e: _append(got, e))
    await bus.start()
    try:
        await a.seat("tampere@chat.example/desk-1", True, "", "sv")
        await _until(lambda: SeatEvent("tampere@chat.example/desk-1") in got)
        seat = await b.seat_of("tampere@chat.example/desk-1")
        assert seat is not None and seat.available and seat.lang == "sv"
        await a.seat("tampere@chat.example/desk-1", False, "", "")
        seat = await b.seat_of("tampere@chat.example/desk-1")
        assert seat is not None and not seat.available and seat.lang == "sv"  # the language is kept
        assert await b.seats() == []
    finally:
        await bus.close()


async def test_a_patron_is_present_while_any_bridge_holds_a_socket(
    two: tuple[PgPresence, PgPresence],
) -> None:
    a, b = two
    assert await b.patron("p-1") == (await b.patron("p-1"))  # stable
    assert not (await b.patron("p-1")).present and (await b.patron("p-1")).gone_for is None
    await a.attach("p-1")
    await b.attach("p-1")  # a second tab, through the other bridge
    await a.detach("p-1")
    assert (await b.patron("p-1")).present
    await b.detach("p-1")
    seen = await a.patron("p-1")
    assert not seen.present and seen.gone_for is not None and seen.gone_for < WAIT


async def test_the_sockets_of_a_bridge_that_stops_beating_count_as_gone(
    pool: asyncpg.Pool, two: tuple[PgPresence, PgPresence]
) -> None:
    a, b = two
    await a.attach("p-2")
    assert (await b.patron("p-2")).present
    assert await b.orphaned(["p-2"]) == []
    assert a._beat is not None
    a._beat.cancel()  # bridge a dies: its beat (1 s) runs out
    await _until_async(lambda: _gone(b, "p-2"))
    assert await b.orphaned(["p-2"]) == ["p-2"]
    await b.attach("p-2")  # the widget reconnects through the other bridge
    assert (await b.patron("p-2")).present and await b.orphaned(["p-2"]) == []


async def test_a_clean_stop_hands_over_at_once_and_says_so(dsn: str, pool: asyncpg.Pool) -> None:
    a, b = PgPresence(pool, "bridge-a"), PgPresence(pool, "bridge-b")
    await a.start()
    await b.start()
    bus = PgBus(dsn, name="bridge-b")
    got: list[Event] = []
    bus.subscribe(lambda e: _append(got, e))
    await bus.start()
    try:
        await a.attach("p-3")
        await a.close()
        await _until(lambda: PatronEvent("p-3") in got)
        seen = await b.patron("p-3")
        assert not seen.present and seen.gone_for is not None
    finally:
        await bus.close()
        await b.close()


async def test_one_bridge_keeps_nothing() -> None:
    local = LocalPresence()
    await local.seat("x@y/z", True, "", "fi")
    await local.attach("p-1")
    assert await local.seats() == [] and not (await local.patron("p-1")).present
    assert not local.shared


async def _append(got: list[Event], event: Event) -> None:
    got.append(event)


async def _gone(presence: PgPresence, session: str) -> bool:
    return not (await presence.patron(session)).present


async def _until(check, within: float = WAIT) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(within * 20)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def _until_async(check, within: float = WAIT) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(within * 20)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")
