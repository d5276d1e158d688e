"""Who is there, for all the bridges: desk seats' presence and patrons' sockets.

ejabberd gives a desk's presence to one bridge only (the component stream its hash picks) and
HAProxy gives a patron's socket to any bridge, so with several bridges neither is known where
it is needed. Each bridge writes what it sees here and announces it on the bus; every bridge
reads it back into its own view:

- `seats`: the last presence of each desk seat (available, show, xml:lang), written by the
  bridge that received it (`SeatEvent`).
- `patron_links`: how many sockets of a chat each bridge holds, and when the last one closed
  (`PatronEvent`). A bridge that stops beating (`bridges.alive_until`, renewed every
  second) counts as holding none: its sockets died with it, from when its beat ran out.

Time spans are measured by PostgreSQL's clock only (`now()`), so the bridges' clocks, and a
demo clock, do not matter. One bridge on SQLite uses `LocalPresence`, which keeps nothing:
its own memory is the truth there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

from bridge.cluster.bus import notify
from bridge.cluster.events import PatronEvent, SeatEvent
from bridge.cluster.pg import pooled
from bridge.errors import StoreError
from bridge.pgstore import create_tables

log = logging.getLogger(__name__)

PRESENCE_SCHEMA = """
CREATE TABLE IF NOT EXISTS seats (
    seat TEXT PRIMARY KEY,
    available BOOLEAN NOT NULL,
    show TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS bridges (
    holder TEXT PRIMARY KEY,
    alive_until TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS patron_links (
    session_id TEXT NOT NULL,
    holder TEXT NOT NULL,
    sockets INTEGER NOT NULL DEFAULT 0,
    left_at TIMESTAMPTZ,
    PRIMARY KEY (session_id, holder)
);
"""

# A chat's patron as all the bridges see it: present (a socket on a live bridge), or gone for
# so many seconds (NULL: no bridge has ever held a socket of it since the links were kept).
_PATRON = """
SELECT bool_or(l.sockets > 0 AND b.alive_until > now()) AS present,
       extract(epoch FROM now() - max(
           CASE WHEN l.sockets > 0 THEN LEAST(b.alive_until, now()) ELSE l.left_at END
       )) AS gone_for
  FROM patron_links l LEFT JOIN bridges b ON b.holder = l.holder
 WHERE l.session_id = $1
"""


@dataclass(frozen=True)
class SeatPresence:
    """A seat's last presence as stored."""

    seat: str
    available: bool
    show: str
    lang: str


@dataclass(frozen=True)
class PatronPresence:
    """Whether a chat's patron has a socket on a live bridge, or for how long it has had none."""

    present: bool
    gone_for: float | None  # seconds; None when no bridge has held a socket of this chat


class Presence(Protocol):
    shared: bool

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def seat(self, seat: str, available: bool, show: str, lang: str) -> None:
        """Store a seat's presence and announce it."""

    async def seat_of(self, seat: str) -> SeatPresence | None: ...

    async def seats(self) -> list[SeatPresence]:
        """Every available seat."""

    async def attach(self, session_id: str) -> None:
        """This bridge took a socket of the chat's patron."""

    async def detach(self, session_id: str) -> None:
        """One of this bridge's sockets of the chat's patron closed."""

    async def patron(self, session_id: str) -> PatronPresence: ...

    async def orphaned(self, session_ids: list[str]) -> list[str]:
        """Of these chats, those whose every socket was on bridges that stopped beating."""


class LocalPresence:
    """One bridge: its memory is the truth; nothing to store or announce."""

    shared = False

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def seat(self, seat: str, available: bool, show: str, lang: str) -> None:
        return None

    async def seat_of(self, seat: str) -> SeatPresence | None:
        return None

    async def seats(self) -> list[SeatPresence]:
        return []

    async def attach(self, session_id: str) -> None:
        return None

    async def detach(self, session_id: str) -> None:
        return None

    async def patron(self, session_id: str) -> PatronPresence:
        return PatronPresence(False, None)

    async def orphaned(self, session_ids: list[str]) -> list[str]:
        return []


class PgPresence:
    """Presence in PostgreSQL, for the bridges that share it (see the module's text)."""

    shared = True

    def __init__(
        self, pool: Any, holder: str, beat_seconds: float = 1.0, alive_seconds: float = 10.0
    ) -> None:
        self.pool = pool
        self.holder = holder
        self.beat_seconds = beat_seconds
        self.alive_seconds = alive_seconds
        self._beat: asyncio.Task[None] | None = None

    def _conn(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return pooled(self.pool)

    @contextlib.asynccontextmanager
    async def _tx(self) -> AsyncIterator[Any]:
        async with self._conn() as conn, conn.transaction():
            yield conn

    async def start(self) -> None:
        """Create the tables if missing, beat once, then every `beat_seconds`."""
        async with self._conn() as conn:
            await create_tables(conn, PRESENCE_SCHEMA)
        await self.beat()
        self._beat = asyncio.create_task(self._beating(), name="presence beat")

    async def beat(self) -> None:
        async with self._conn() as conn:
            await conn.execute(
                "INSERT INTO bridges (holder, alive_until) VALUES ($1, now() + make_interval(secs => $2))"
                " ON CONFLICT (holder) DO UPDATE SET alive_until = excluded.alive_until",
                self.holder,
                self.alive_seconds,
            )

    async def _beating(self) -> None:
        while True:
            await asyncio.sleep(self.beat_seconds)
            try:
                await self.beat()
            except StoreError as e:
                log.warning(
                    "presence: cannot beat (%s); other bridges will count this one's sockets as gone", e
                )

    async def close(self) -> None:
        """Stop beating and give up this bridge's sockets (they are closed by now): the
        other bridges see the patrons as gone from this moment, not after the beat runs out."""
        if self._beat is not None:
            self._beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beat
        try:
            async with self._tx() as conn:
                gone = await conn.fetch(
                    "UPDATE patron_links SET sockets = 0, left_at = now()"
                    " WHERE holder = $1 AND sockets > 0 RETURNING session_id",
                    self.holder,
                )
                await conn.execute("UPDATE bridges SET alive_until = now() WHERE holder = $1", self.holder)
                for row in gone:
                    await notify(conn, PatronEvent(row["session_id"]))
        except StoreError as e:
            log.warning("presence: could not hand over at stop (%s); the beat runs out by itself", e)

    # desk seats

    async def seat(self, seat: str, available: bool, show: str, lang: str) -> None:
        async with self._tx() as conn:
            await conn.execute(
                "INSERT INTO seats (seat, available, show, lang, updated_at) VALUES ($1, $2, $3, $4, now())"
                " ON CONFLICT (seat) DO UPDATE SET available = excluded.available, show = excluded.show,"
                " lang = CASE WHEN excluded.lang != '' THEN excluded.lang ELSE seats.lang END,"
                " updated_at = excluded.updated_at",
                seat,
                available,
                show,
                lang,
            )
            await notify(conn, SeatEvent(seat), self.holder)

    async def seat_of(self, seat: str) -> SeatPresence | None:
        async with self._conn() as conn:
            row = await conn.fetchrow("SELECT seat, available, show, lang FROM seats WHERE seat = $1", seat)
        return SeatPresence(row["seat"], row["available"], row["show"], row["lang"]) if row else None

    async def seats(self) -> list[SeatPresence]:
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT seat, available, show, lang FROM seats WHERE available ORDER BY seat"
            )
        return [SeatPresence(r["seat"], r["available"], r["show"], r["lang"]) for r in rows]

    # patrons' sockets

    async def attach(self, session_id: str) -> None:
        async with self._tx() as conn:
            await conn.execute(
                "INSERT INTO patron_links (session_id, holder, sockets) VALUES ($1, $2, 1)"
                " ON CONFLICT (session_id, holder) DO UPDATE"
                " SET sockets = patron_links.sockets + 1, left_at = NULL",
                session_id,
                self.holder,
            )
            await notify(conn, PatronEvent(session_id), self.holder)

    async def detach(self, session_id: str) -> None:
        async with self._tx() as conn:
            await conn.execute(
                "UPDATE patron_links SET sockets = GREATEST(sockets - 1, 0),"
                " left_at = CASE WHEN sockets <= 1 THEN now() ELSE left_at END"
                " WHERE session_id = $1 AND holder = $2",
                session_id,
                self.holder,
            )
            await notify(conn, PatronEvent(session_id), self.holder)

    async def patron(self, session_id: str) -> PatronPresence:
        async with self._conn() as conn:
            row = await conn.fetchrow(_PATRON, session_id)
        if row is None or row["present"] is None:
            return PatronPresence(False, None)
        gone_for = row["gone_for"]
        return PatronPresence(bool(row["present"]), None if gone_for is None else max(0.0, float(gone_for)))

    async def orphaned(self, session_ids: list[str]) -> list[str]:
        if not session_ids:
            return []
        async with self._conn() as conn:
            rows = await conn.fetch(
                "SELECT l.session_id FROM patron_links l LEFT JOIN bridges b ON b.holder = l.holder"
                " WHERE l.session_id = ANY($1::text[])"
                " GROUP BY l.session_id"
                " HAVING NOT bool_or(l.sockets > 0 AND b.alive_until > now())"
                " AND bool_or(l.sockets > 0)",
                session_ids,
            )
        return sorted(r["session_id"] for r in rows)
