"""The bus: in-process for one bridge; LISTEN/NOTIFY on a private PostgreSQL for several."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from bridge.cluster.bus import LocalBus, PgBus, notify
from bridge.cluster.events import ChatEvent, Event, LineEvent, SeatEvent, TypingEvent
from bridge.errors import StoreError

WAIT = 30  # seconds: only a bound on a hang, never a measured time


class Inbox:
    """What one subscriber received, with a way to wait for the n-th event."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.resyncs = 0
        self._changed = asyncio.Condition()

    async def handler(self, event: Event) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    async def on_resync(self) -> None:
        async with self._changed:
            self.resyncs += 1
            self._changed.notify_all()

    async def until(self, predicate: object) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), WAIT)  # type: ignore[arg-type]


async def test_the_local_bus_hands_events_over_in_order_and_survives_a_failing_handler() -> None:
    bus = LocalBus()
    seen: list[Event] = []

    async def broken(event: Event) -> None:
        raise RuntimeError("boom")

    async def keep(event: Event) -> None:
        seen.append(event)

    bus.subscribe(broken)
    bus.subscribe(keep)
    await bus.start()
    await bus.publish(LineEvent("p-a", 1))
    await bus.publish(ChatEvent("p-a"))
    assert seen == [LineEvent("p-a", 1), ChatEvent("p-a")]
    await bus.close()


@pytest.fixture
async def buses(dsn: str) -> AsyncIterator[tuple[PgBus, Inbox, PgBus, Inbox]]:
    a, b = PgBus(dsn, check_every=0.5), PgBus(dsn, check_every=0.5)
    inbox_a, inbox_b = Inbox(), Inbox()
    a.subscribe(inbox_a.handler, inbox_a.on_resync)
    b.subscribe(inbox_b.handler, inbox_b.on_resync)
    await a.start()
    await b.start()
    yield a, inbox_a, b, inbox_b
    await a.close()
    await b.close()


async def test_an_event_notified_in_a_committed_write_reaches_every_bridge_in_order(
    dsn: str, buses: tuple[PgBus, Inbox, PgBus, Inbox]
) -> None:
    _, inbox_a, _, inbox_b = buses
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await notify(conn, LineEvent("p-abc", 1))
            await notify(conn, LineEvent("p-abc", 2))
        await notify(conn, ChatEvent("p-abc"))
    finally:
        await conn.close()
    want = [LineEvent("p-abc", 1), LineEvent("p-abc", 2), ChatEvent("p-abc")]
    for inbox in (inbox_a, inbox_b):
        await inbox.until(lambda inbox=inbox: len(inbox.events) >= 3)
        assert inbox.events == want


async def test_a_write_that_rolls_back_tells_nobody(
    dsn: str, buses: tuple[PgBus, Inbox, PgBus, Inbox]
) -> None:
    _, inbox_a, _, _ = buses
    conn = await asyncpg.connect(dsn)
    try:
        tx = conn.transaction()
        await tx.start()
        await notify(conn, LineEvent("p-gone", 7))
        await tx.rollback()
        await notify(conn, ChatEvent("p-after"))  # sent later: when it is here, the other would be too
    finally:
        await conn.close()
    await inbox_a.until(lambda: inbox_a.events)
    assert inbox_a.events == [ChatEvent("p-after")]


async def test_published_events_reach_the_other_bridge_and_the_sender(
    buses: tuple[PgBus, Inbox, PgBus, Inbox],
) -> None:
    a, inbox_a, _, inbox_b = buses
    await a.publish(TypingEvent("p-abc", "composing"))
    await a.publish(SeatEvent("desk@chat.example/one"))
    for inbox in (inbox_a, inbox_b):
        await inbox.until(lambda inbox=inbox: len(inbox.events) >= 2)
        assert inbox.events == [TypingEvent("p-abc", "composing"), SeatEvent("desk@chat.example/one")]


async def test_a_payload_that_is_no_event_is_skipped(
    dsn: str, buses: tuple[PgBus, Inbox, PgBus, Inbox]
) -> None:
    _, inbox_a, _, _ = buses
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_notify('tiski', 'line p-abc many')")
        await notify(conn, ChatEvent("p-abc"))
    finally:
        await conn.close()
    await inbox_a.until(lambda: inbox_a.events)
    assert inbox_a.events == [ChatEvent("p-abc")]


async def test_after_its_connection_is_killed_the_bus_listens_again_and_asks_to_catch_up(
    dsn: str, buses: tuple[PgBus, Inbox, PgBus, Inbox]
) -> None:
    a, inbox_a, _, inbox_b = buses
    assert a._conn is not None
    pid = a._conn.get_server_pid()
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
        await inbox_a.until(lambda: inbox_a.resyncs == 1)
        assert a.reconnects == 1 and a._conn is not None and a._conn.get_server_pid() != pid
        await notify(conn, LineEvent("p-abc", 3))
    finally:
        await conn.close()
    await inbox_a.until(lambda: inbox_a.events)
    assert inbox_a.events == [LineEvent("p-abc", 3)]
    assert inbox_b.resyncs == 0  # the other bridge lost nothing


async def test_a_bus_that_cannot_reach_postgresql_says_so() -> None:
    bus = PgBus("postgresql://tiski@127.0.0.1:1/nowhere")
    with pytest.raises(StoreError, match=r"PostgreSQL bus at 127\.0\.0\.1:1/nowhere"):
        await bus.start()


async def test_a_write_committed_here_reaches_this_bridges_handlers_at_once(
    buses: tuple[PgBus, Inbox, PgBus, Inbox],
) -> None:
    a, inbox_a, _, inbox_b = buses
    await a.committed(LineEvent("p-abc", 4))
    assert inbox_a.events == [LineEvent("p-abc", 4)]  # no notification: the store sends that
    assert inbox_b.events == []


async def test_a_bridge_skips_the_notifications_of_its_own_writes(dsn: str) -> None:
    mine, inbox = PgBus(dsn, name="bridge-a"), Inbox()
    mine.subscribe(inbox.handler)
    await mine.start()
    conn = await asyncpg.connect(dsn)
    try:
        await notify(conn, LineEvent("p-abc", 1), "bridge-a")  # handled by bridge A as it wrote it
        await notify(conn, LineEvent("p-abc", 2), "bridge-b")
        await inbox.until(lambda: inbox.events)
        assert inbox.events == [LineEvent("p-abc", 2)]
    finally:
        await conn.close()
        await mine.close()
