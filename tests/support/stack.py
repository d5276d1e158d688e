"""A whole Tiski for integration tests: a private Prosody, the real bridge, desks and patrons."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bridge.app import Bridge
from bridge.config import load_config
from demo.prosody import PrivateProsody, free_port
from rota import load_roster
from tests.bridge.pg import bridge_database
from tests.support.desk import DeskClient
from tests.support.patron import Patron

ROOT = Path(__file__).resolve().parents[2]
TEST_ROTA = ROOT / "tests" / "data" / "rota.yaml"
PIKI = ROOT / "examples" / "piki"
MONDAY_NOON = "2026-11-23T12:00:00+02:00"  # tests/data/rota.yaml: Tampere on duty
TUESDAY_NOON = "2026-11-24T12:00:00+02:00"  # Pool 1 on duty
CLOSED_DAY = "2026-12-24T12:00:00+02:00"  # a closed date


@dataclass
class Stack:
    """Prosody + bridge (in-process, or a child process for crash tests) + helpers."""

    directory: Path
    prosody: PrivateProsody
    config_path: Path
    passwords: dict[str, str]
    in_process: bool = True
    bridge: Bridge | None = None
    process: asyncio.subprocess.Process | None = None
    web_port: int = 0
    clients: list[Any] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return self.prosody.domain

    @property
    def component(self) -> str:
        return self.prosody.component

    @property
    def c2s_port(self) -> int:
        return self.prosody.c2s_port

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.web_port}/ws"

    def patron_jid(self, session_id: str) -> str:
        return f"{session_id}@{self.component}"

    async def start_bridge(self) -> None:
        if self.in_process:
            self.bridge = Bridge(load_config(self.config_path))
            await self.bridge.start()
            return
        with open(self.directory / "bridge.log", "ab") as log:  # the child keeps its own copy
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bridge",
                "--config",
                str(self.config_path),
                cwd=ROOT,
                stdout=log,
                stderr=log,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        await self._wait_http()

    async def _wait_http(self, timeout: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            try:
                _, w = await asyncio.open_connection("127.0.0.1", self.web_port)
                w.close()
                await w.wait_closed()
                return
            except OSError:
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError((self.directory / "bridge.log").read_text()[-3000:]) from None
                await asyncio.sleep(0.05)
        raise TimeoutError("bridge did not start")

    async def kill_bridge(self) -> None:
        """kill -9 of the bridge process (only for stacks with in_process=False)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop_bridge(self) -> None:
        if self.bridge is not None:
            await self.bridge.stop()
            self.bridge = None
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()

    async def db_rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows of a query on the bridge's database, SQLite or PostgreSQL (`?` for arguments)."""
        from bridge.privacy.db import connect

        database = yaml.safe_load(self.config_path.read_text())["database"]
        async with connect(database) as db:
            return [tuple(r) for r in await db.rows(sql, *args)]

    async def desk(self, jid: str, resource: str = "desk-1", **kwargs: Any) -> DeskClient:
        client = DeskClient(f"{jid}/{resource}", self.passwords[jid], self.c2s_port, self.component, **kwargs)
        self.clients.append(client)
        await client.start()
        await asyncio.sleep(0.15)  # let the bridge see the presence
        return client

    async def patron(self, library: str = "tampere", lang: str = "fi", **kwargs: Any) -> Patron:
        p = Patron(self.ws_url, library, lang, **kwargs)
        self.clients.append(p)
        await p.connect()
        await p.hello()
        return p

    async def close(self) -> None:
        """Tear everything down; each step is bounded so a stuck one cannot hang the run."""
        for c in reversed(self.clients):
            await _bounded(c.close(), 10, f"closing {c!r}")
        await _bounded(self.stop_bridge(), 30, "stopping the bridge")
        await self.prosody.stop()


async def _bounded(step: Any, seconds: float, what: str) -> None:
    try:
        await asyncio.wait_for(step, seconds)
    except TimeoutError:
        warnings.warn(f"teardown: {what} took over {seconds} s; went on", stacklevel=2)
    except Exception:  # best effort: the next steps must still run
        pass


def desk_accounts(rota_path: Path) -> dict[str, str]:
    roster = load_roster(rota_path)
    desks = {d for lib in roster.libraries.values() for d in lib.desks} | set(roster.coordinators)
    return {d: f"pw-{d.split('@')[0]}" for d in sorted(desks)}


async def start_stack(
    directory: Path,
    *,
    rota: Path = TEST_ROTA,
    clock: str | None = MONDAY_NOON,
    faq: Path | None = None,
    canned: Path | None = None,
    in_process: bool = True,
    limits: dict[str, Any] | None = None,
    tags: Path = PIKI / "tags.yaml",
    extra: dict[str, Any] | None = None,
) -> Stack:
    """Start Prosody, register the roster's desks, write a config and start the bridge."""
    prosody = PrivateProsody(directory / "prosody")
    await prosody.start()
    passwords = desk_accounts(rota)
    await prosody.register(passwords.items())
    web_port = free_port()
    config: dict[str, Any] = {
        "xmpp": {
            "host": "127.0.0.1",
            "port": prosody.component_port,
            "component": prosody.component,
            "secret": prosody.secret,
        },
        "web": {
            "host": "127.0.0.1",
            "port": web_port,
            "demo_pages": True,
            "allowed_origins": ["https://library.example"],
        },
        "database": await bridge_database(directory),
        "rota": str(rota),
        "tags": str(tags),
    }
    if clock:
        config["demo_clock"] = clock
    if faq:
        config["faq"] = str(faq)
    if canned:
        config["canned"] = str(canned)
    if limits:
        config["limits"] = limits
    config.update(extra or {})
    config_path = directory / "bridge.yaml"
    config_path.write_text(yaml.safe_dump(config))
    stack = Stack(directory, prosody, config_path, passwords, in_process=in_process, web_port=web_port)
    try:
        await stack.start_bridge()
    except BaseException:
        await stack.close()
        raise
    return stack
