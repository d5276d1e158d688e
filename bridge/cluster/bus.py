"""The bus between bridges: PostgreSQL's LISTEN/NOTIFY, or in-process delivery for one bridge.

Writers notify inside the transaction that makes the change (`notify(conn, event)`), so an
event is delivered at COMMIT and only if the transaction commits. Each bridge keeps one
connection of its own that LISTENs on channel `tiski`. NOTIFY reaches only connections that
listen at COMMIT: after that connection drops, the bus connects again (with back-off),
LISTENs again and then calls every `on_resync` so the owners catch up from their cursors.

`LocalBus` has the same surface for one bridge on SQLite: the bridge's code has one path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import asyncpg

from bridge.cluster.events import CHANNEL, BadEvent, Event, format_event, parse_notice
from bridge.cluster.pg import PG_ERRORS
from bridge.errors import StoreError

log = logging.getLogger(__name__)

Handler = Callable[[Event], Awaitable[None]]
Resync = Callable[[], Awaitable[None]]


class Bus(Protocol):
    """Events between the bridges of one service (or within one bridge)."""

    # True when other bridges write to the same store: the live view is then a cache, and an
    # event's line must be read back from the store (it may not be the next one a socket lacks).
    shared: bool

    def subscribe(self, handler: Handler, on_resync: Resync | None = None) -> None:
        """Call `handler` with every event, in the order they arrive; `on_resync` after a gap."""

    async def publish(self, event: Event) -> None:
        """Tell every bridge (this one too), outside any write: for events nobody stores."""

    async def committed(self, event: Event) -> None:
        """This process has just committed the write `event` is about: this bridge's handlers
        get it now (the other bridges get it from the notification the store sent with the
        write, and this one again, which its handlers must bear)."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...


async def notify(conn: Any, event: Event, origin: str = "") -> None:
    """Send `event` from inside the caller's transaction: delivered if and when it commits.

    `origin`: the writing bridge's name; that bridge's bus skips the notification (it handed
    the event to its handlers itself, with what only it knows, through `committed`).
    """
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, format_event(event, origin))


class _Subscribers:
    """The handlers of a bus, each called in turn; one that fails does not stop the others."""

    def __init__(self) -> None:
        self.handlers: list[Handler] = []
        self.resyncs: list[Resync] = []

    def add(self, handler: Handler, on_resync: Resync | None) -> None:
        self.handlers.append(handler)
        if on_resync is not None:
            self.resyncs.append(on_resync)

    async def deliver(self, event: Event) -> None:
        for handler in list(self.handlers):
            try:
                await handler(event)
            except Exception:
                log.exception("bus handler failed on %s", event)

    async def resync(self) -> None:
        for resync in list(self.resyncs):
            try:
                await resync()
            except Exception:
                log.exception("catching up after a bus gap failed")


class LocalBus:
    """One bridge: an event is handed to the handlers as it is published, in this process."""

    shared = False

    def __init__(self) -> None:
        self._subscribers = _Subscribers()

    def subscribe(self, handler: Handler, on_resync: Resync | None = None) -> None:
        self._subscribers.add(handler, on_resync)

    async def publish(self, event: Event) -> None:
        await self._subscribers.deliver(event)

    async def committed(self, event: Event) -> None:
        await self._subscribers.deliver(event)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class PgBus:
    """LISTEN on one dedicated connection; reconnect, re-LISTEN and resync after it drops."""

    shared = True

    def __init__(
        self,
        dsn: str,
        *,
        name: str = "",
        check_every: float = 5.0,
        first_backoff: float = 0.1,
        max_backoff: float = 5.0,
    ) -> None:
        self.dsn = dsn
        self.name = name  # this bridge's name: notifications of its own writes are skipped
        self.check_every = check_every
        self.first_backoff, self.max_backoff = first_backoff, max_backoff
        self._subscribers = _Subscribers()
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._conn: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._use = asyncio.Lock()  # one statement at a time on the connection
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()  # set while LISTEN is in force
        self.reconnects = 0

    def subscribe(self, handler: Handler, on_resync: Resync | None = None) -> None:
        self._subscribers.add(handler, on_resync)

    async def start(self) -> None:
        """Connect and LISTEN (StoreError if PostgreSQL cannot be reached now), then watch."""
        try:
            await self._listen()
        except PG_ERRORS as e:
            raise StoreError(f"PostgreSQL bus at {self.dsn.split('@')[-1]}: {e}") from e
        self._tasks = [
            asyncio.create_task(self._dispatch(), name="bus-dispatch"),
            asyncio.create_task(self._watch(), name="bus-watch"),
        ]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self._drop()

    async def publish(self, event: Event) -> None:
        """NOTIFY on the bus's own connection (no transaction of the caller's to join)."""
        payload = format_event(event)
        try:
            async with self._use:
                if self._conn is None or self._conn.is_closed():
                    raise StoreError("the bus is reconnecting to PostgreSQL")
                await self._conn.execute("SELECT pg_notify($1, $2)", CHANNEL, payload)
        except PG_ERRORS as e:
            self._lost.set()
            raise StoreError(f"bus: {e}") from e

    async def committed(self, event: Event) -> None:
        await self._subscribers.deliver(event)

    # the connection

    async def _listen(self) -> None:
        conn = await asyncpg.connect(self.dsn, timeout=10)
        try:
            conn.add_termination_listener(self._terminated)
            await conn.add_listener(CHANNEL, self._received)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        self._lost.clear()
        self.listening.set()

    async def _drop(self) -> None:
        self.listening.clear()
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(*PG_ERRORS):
                await asyncio.wait_for(conn.close(), 2)
            if not conn.is_closed():
                conn.terminate()

    def _terminated(self, conn: Any) -> None:
        if conn is self._conn:
            self._lost.set()

    def _received(self, conn: Any, pid: int, channel: str, payload: str) -> None:
        try:
            notice = parse_notice(payload)
        except BadEvent as e:
            log.warning("%s", e)
            return
        if not self.name or notice.origin != self.name:
            self._queue.put_nowait(notice.event)

    async def _alive(self) -> bool:
        """The connection answers (a dropped TCP link is not always reported by itself)."""
        try:
            async with self._use:
                if self._conn is None or self._conn.is_closed():
                    return False
                await self._conn.fetchval("SELECT 1", timeout=self.check_every)
            return True
        except PG_ERRORS:
            return False

    async def _watch(self) -> None:
        """Notice a lost connection; then connect again with back-off, LISTEN, resync."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._lost.wait(), self.check_every)
            if not self._lost.is_set() and await self._alive():
                continue
            log.warning("bus: the connection to PostgreSQL was lost; connecting again")
            await self._drop()
            backoff = self.first_backoff
            while True:
                try:
                    await self._listen()
                    break
                except PG_ERRORS as e:
                    log.warning("bus: PostgreSQL still unreachable (%s); next try in %.1f s", e, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.max_backoff)
            self.reconnects += 1
            log.info("bus: listening again; catching up")
            await self._subscribers.resync()

    async def _dispatch(self) -> None:
        while True:
            event = await self._queue.get()
            await self._subscribers.deliver(event)
