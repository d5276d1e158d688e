"""Two real bridges sharing one PostgreSQL database, on one private Prosody.

Prosody refuses a second component with the same JID, so each bridge has a component domain
of its own (`patrons.…`, `patrons2.…`); a desk talks to a chat through the bridge whose domain
it writes to. PostgreSQL is all the bridges share: the store, the bus and the leases.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import yaml

from bridge.app import Bridge
from bridge.config import load_config
from demo.prosody import PrivateProsody, free_port
from tests.support.desk import DeskClient
from tests.support.patron import Patron
from tests.support.stack import MONDAY_NOON, PIKI, TEST_ROTA, desk_accounts

SECOND = "patrons2.chat.localhost"
WAIT = 30.0  # seconds: a bound on a hang, never a measured time


@dataclass
class TwoComponentProsody(PrivateProsody):
    """A private Prosody with a second component domain (same secret)."""

    second: str = SECOND

    def write_config(self) -> None:
        super().write_config()
        with self.config_path.open("a") as f:
            f.write(f'Component "{self.second}"\n  component_secret = "{self.secret}"\n')


@dataclass
class Cluster:
    """Prosody, two bridges (`a` on the first component, `b` on the second), desks, patrons."""

    directory: Path
    dsn: str
    prosody: TwoComponentProsody
    passwords: dict[str, str]
    bridges: dict[str, Bridge] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    clients: list[Any] = field(default_factory=list)

    def config(self, name: str, limits: dict[str, Any] | None, **extra: Any) -> Path:
        component = self.prosody.component if name == "a" else self.prosody.second
        self.components[name] = component
        config: dict[str, Any] = {
            "xmpp": {
                "host": "127.0.0.1",
                "port": self.prosody.component_port,
                "component": component,
                "secret": self.prosody.secret,
            },
            "web": {"host": "127.0.0.1", "port": free_port(), "allowed_origins": ["https://library.example"]},
            "database": self.dsn,
            "rota": str(TEST_ROTA),
            "tags": str(PIKI / "tags.yaml"),
            "demo_clock": MONDAY_NOON,
        }
        if limits:
            config["limits"] = limits
        config.update(extra)
        path = self.directory / f"bridge-{name}.yaml"
        path.write_text(yaml.safe_dump(config))
        return path

    async def start(self, name: str, limits: dict[str, Any] | None = None, **extra: Any) -> Bridge:
        bridge = Bridge(load_config(self.config(name, limits, **extra)))
        await bridge.start()
        self.bridges[name] = bridge
        return bridge

    async def stop(self, name: str) -> None:
        await self.bridges.pop(name).stop()

    def jid(self, name: str, session_id: str) -> str:
        """The patron's address at bridge `name`."""
        return f"{session_id}@{self.components[name]}"

    async def desk(self, jid: str, via: str, resource: str = "desk-1") -> DeskClient:
        """A seat whose presence goes to bridge `via` (and, by subscription, to the other)."""
        client = DeskClient(
            f"{jid}/{resource}",
            self.passwords[jid],
            self.prosody.c2s_port,
            self.components[via],
            receipts=True,
        )
        self.clients.append(client)
        await client.start()
        return client

    async def patron(self, via: str) -> Patron:
        p = Patron(f"ws://127.0.0.1:{self.bridges[via].port}/ws", "tampere", "fi", origin=None)
        self.clients.append(p)
        await p.connect()
        await p.hello()
        return p

    async def session_id(self) -> str:
        """The id of the one chat in the database."""
        rows = await self.sql("SELECT id FROM sessions")
        assert len(rows) == 1
        return str(rows[0]["id"])

    async def sql(self, query: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsn)
        try:
            rows: list[asyncpg.Record] = await conn.fetch(query, *args)
            return rows
        finally:
            await conn.close()

    async def close(self) -> None:
        for c in reversed(self.clients):
            await _bounded(c.close(), 10, f"closing {c!r}")
        for name in list(self.bridges):
            await _bounded(self.stop(name), 30, f"stopping bridge {name}")
        await self.prosody.stop()


async def until(check: Callable[[], Awaitable[bool] | bool], what: str) -> None:
    """Wait until `check()` holds (asked every 50 ms), at most WAIT seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        got = check()
        if not isinstance(got, bool):
            got = await got
        if got:
            return
        if loop.time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.05)


async def _bounded(step: Awaitable[Any], seconds: float, what: str) -> None:
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        warnings.warn(f"teardown: {what} took over {seconds} s; went on", stacklevel=2)
    except Exception:  # best effort: the next steps must still run
        pass


async def start_cluster(directory: Path, dsn: str) -> Cluster:
    prosody = TwoComponentProsody(directory / "prosody")
    await prosody.start()
    passwords = desk_accounts(TEST_ROTA)
    await prosody.register(passwords.items())
    return Cluster(directory, dsn, prosody, passwords)
