"""`python -m demo.cluster --dir DIR [--bridges N]`: Tiski on a cluster, on one machine.

Starts on loopback two ejabberd nodes in one cluster (with a private epmd), a private
PostgreSQL (its data under DIR), N bridges connected to the nodes as the same component, and
HAProxy in front of the bridges' web ports; writes DIR/cluster.json once every part answers
(CONTRACTS §8), then runs until SIGTERM or SIGINT and stops everything it started.
Needs root: the ejabberd nodes run as the `ejabberd` user and PostgreSQL as `postgres`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from demo import process
from demo.__main__ import DEFAULT_CLOCK, PIKI, ROOT, DemoError, stop_on_signals, wait_healthy
from demo.ejabberd import EjabberdNode, Epmd, check_installed, new_cookie
from demo.haproxy import HAProxy
from demo.postgres import PostgresServer, pg_bin
from demo.prosody import free_port

DOMAIN = "chat.localhost"
COMPONENT = f"patrons.{DOMAIN}"
PASSWORD = "password"
LIBRARY = "tampere"
MARKER = ".tiski-cluster"  # a folder with this file was made by this command: safe to empty


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m demo.cluster", description=__doc__.splitlines()[0])
    p.add_argument("--dir", type=Path, required=True, help="folder for every server's files and logs")
    p.add_argument("--bridges", type=int, default=2, help="number of bridges, at least 2 (default 2)")
    p.add_argument(
        "--clock",
        default=DEFAULT_CLOCK,
        help=f"the bridges' clock starts from this instant, or 'real' (default {DEFAULT_CLOCK})",
    )
    p.add_argument(
        "--no-restart",
        dest="restart",
        action="store_false",
        help="leave a bridge that exits stopped (by default it is started again after 1 s, "
        "as systemd's Restart=always does in production)",
    )
    args = p.parse_args(argv)
    if args.bridges < 2:
        p.error("--bridges: at least 2")
    return args


def prepare(directory: Path) -> None:
    """An empty DIR: new, empty, or one this command made before (emptied)."""
    if directory.exists() and any(directory.iterdir()):
        if not (directory / MARKER).exists():
            raise process.ServerError(f"{directory} is not empty: give a new or empty folder")
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o711)  # the servers' users reach their own folders; nobody lists this one
    (directory / MARKER).touch()
    for user in ("ejabberd", "postgres"):
        process.check_reachable(directory, user)


def write_roster(directory: Path) -> Path:
    """The PIKI roster with its desks on the cluster's domain (tampere@chat.localhost, …)."""
    path = directory / "rota.yaml"
    path.write_text((PIKI / "rota.yaml").read_text().replace("@chat.piki.example", f"@{DOMAIN}"))
    return path


def desks_and_duty(roster_path: Path, clock: datetime | None) -> tuple[list[str], str]:
    """Every desk account of the roster, and the one on duty at `clock` (or now)."""
    from rota import load_roster
    from rota.decide import on_duty

    roster = load_roster(roster_path)
    accounts = sorted({d for lib in roster.libraries.values() for d in lib.desks} | set(roster.coordinators))
    target = on_duty(roster, clock or datetime.now().astimezone())
    desks = roster.desks_of(target) if target else roster.libraries[LIBRARY].desks
    return accounts, desks[0]


@dataclass
class BridgeProcess:
    """One `python -m bridge` child with its own config file and log."""

    number: int
    node: EjabberdNode
    web_port: int
    folder: Path
    proc: asyncio.subprocess.Process | None = None

    @property
    def config_path(self) -> Path:
        return self.folder / "bridge.yaml"

    @property
    def log_path(self) -> Path:
        return self.folder / "bridge.log"


@dataclass
class Cluster:
    """Every server of the cluster demo; `start()` in order, `stop()` in reverse."""

    directory: Path
    bridge_count: int
    clock: datetime | None
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    epmd: Epmd | None = None
    nodes: list[EjabberdNode] = field(default_factory=list)
    postgres: PostgresServer | None = None
    bridges: list[BridgeProcess] = field(default_factory=list)
    haproxy: HAProxy | None = None
    desks: list[str] = field(default_factory=list)
    on_duty: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    restarts: int = 0  # bridges started again by `supervise`

    @property
    def web_port(self) -> int:
        assert self.haproxy is not None
        return self.haproxy.port

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    async def start(self) -> None:
        began = time.monotonic()
        d = self.directory
        roster = write_roster(d)
        self.desks, self.on_duty = desks_and_duty(roster, self.clock)
        self.epmd = Epmd(d / "epmd.log")
        await self.epmd.start()
        cookie = new_cookie()
        self.nodes = [
            EjabberdNode(
                d / f"ejabberd{i}",
                f"ejabberd{i}@localhost",
                self.epmd.port,
                cookie,
                self.secret,
                domain=DOMAIN,
                component=COMPONENT,
                component_number=self.bridge_count,
            )
            for i in (1, 2)
        ]
        self.postgres = PostgresServer(d / "postgres")
        await asyncio.gather(*(n.start() for n in self.nodes), self.postgres.start())
        self.timings["servers"] = time.monotonic() - began
        await self.nodes[1].join(self.nodes[0])
        await self.nodes[0].register((desk, PASSWORD) for desk in self.desks)
        self.timings["cluster"] = time.monotonic() - began
        self.haproxy = HAProxy(d / "haproxy", [free_port() for _ in range(self.bridge_count)])
        await asyncio.gather(*(self._start_bridge(i, roster) for i in range(self.bridge_count)))
        self.bridges.sort(key=lambda b: b.number)
        self.timings["bridges"] = time.monotonic() - began
        await self.haproxy.start()
        await self._wait_web()
        self.timings["total"] = time.monotonic() - began

    async def _start_bridge(self, index: int, roster: Path) -> None:
        assert self.haproxy is not None
        node = self.nodes[index % len(self.nodes)]
        others = self.nodes[index % len(self.nodes) + 1 :] + self.nodes[: index % len(self.nodes)]
        bridge = BridgeProcess(
            index + 1, node, self.haproxy.backends[index], self.directory / f"bridge{index + 1}"
        )
        bridge.folder.mkdir(mode=0o700)
        bridge.config_path.write_text(yaml.safe_dump(self.bridge_config(bridge, [node, *others], roster)))
        self.bridges.append(bridge)
        await self._launch(bridge)

    async def _launch(self, bridge: BridgeProcess) -> None:
        bridge.proc = await process.start(
            [sys.executable, "-m", "bridge", "--config", str(bridge.config_path)],
            bridge.log_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        await wait_healthy(bridge.web_port, bridge.proc, bridge.log_path)

    async def supervise(self, delay: float = 1.0) -> None:
        """What systemd's `Restart=always` does for a bridge in production: one that exits is
        started again after `delay` seconds. It matters more than it seems: ejabberd keeps a
        dead bridge's slot of patron addresses empty (their stanzas are dropped) until a
        component takes it again. cluster.json gets the new pid."""
        while True:
            waits = {asyncio.ensure_future(b.proc.wait()): b for b in self.bridges if b.proc is not None}
            if not waits:
                return
            done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            for future in pending:
                future.cancel()
            for future in done:
                bridge = waits[future]
                print(
                    f"bridge {bridge.number} exited ({future.result()}); starting it again in {delay:g} s",
                    flush=True,
                )
                await asyncio.sleep(delay)
                try:
                    await self._launch(bridge)
                except process.ServerError as e:
                    print(f"bridge {bridge.number} did not start again: {e}", flush=True)
                    continue
                self.restarts += 1
                self.write_summary()

    def bridge_config(self, bridge: BridgeProcess, nodes: list[EjabberdNode], roster: Path) -> dict[str, Any]:
        """One bridge's config: its own node first, then the others; the shared store."""
        assert self.postgres is not None
        config: dict[str, Any] = {
            "xmpp": {
                "component": COMPONENT,
                "secret": self.secret,
                "hosts": [f"127.0.0.1:{n.component_port}" for n in nodes],
            },
            "web": {
                "host": "127.0.0.1",
                "port": bridge.web_port,
                "demo_pages": True,
                "allowed_origins": [self.origin],
                "trusted_proxies": ["127.0.0.1"],
            },
            "database": self.postgres.dsn,  # one store for every bridge
            "rota": str(roster),
            "tags": str(PIKI / "tags.yaml"),
            "faq": {"file": str(PIKI / "faq.yaml"), "matcher": "lexical"},
            "canned": str(PIKI / "canned.yaml"),
        }
        if self.clock is not None:
            config["demo_clock"] = self.clock.isoformat()
        return config

    async def _wait_web(self, timeout: float = 30.0) -> None:
        """Wait until HAProxy answers /health from a bridge."""
        url = f"{self.origin}/health"
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while time.monotonic() < deadline:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(url) as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        assert self.haproxy is not None
        raise process.ServerError(f"HAProxy did not answer {url}; see {self.haproxy.log_path}")

    def summary(self) -> dict[str, Any]:
        """cluster.json (CONTRACTS §8), with a few more fields for operators."""
        assert self.postgres is not None and self.haproxy is not None and self.epmd is not None
        return {
            "web": self.origin,
            "component": COMPONENT,
            "xmpp": [
                {
                    "node": n.node,
                    "c2s_port": n.c2s_port,
                    "pid": n.pid,
                    "component_port": n.component_port,
                    "api_port": n.api_port,  # mod_http_api on loopback: /api/list_cluster, …
                    "log": str(n.log_path),
                }
                for n in self.nodes
            ],
            "bridges": [
                {
                    "pid": b.proc.pid if b.proc else None,
                    "web_port": b.web_port,
                    "node": b.node.node,
                    "config": str(b.config_path),
                    "log": str(b.log_path),
                }
                for b in self.bridges
            ],
            "restarts": self.restarts,  # bridges started again after they exited
            "postgres": {"dsn": self.postgres.dsn, "pid": self.postgres.pid, "data": str(self.postgres.data)},
            "haproxy": {"pid": self.haproxy.pid},
            "epmd": {"pid": self.epmd.pid, "port": self.epmd.port},
            "on_duty": self.on_duty,
            "library": LIBRARY,
            "desks": dict.fromkeys(self.desks, PASSWORD),
            "allowed_origin": self.origin,
            "clock": self.clock.isoformat() if self.clock else None,
            "start_seconds": {k: round(v, 2) for k, v in self.timings.items()},
        }

    def write_summary(self) -> Path:
        path = self.directory / "cluster.json"
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(self.summary(), indent=2) + "\n")
        partial.replace(path)  # readers never see half a file
        return path

    async def stop(self) -> None:
        """Stop everything that was started, the front first; each step even if another fails."""
        began = time.monotonic()
        steps: list[Any] = []
        if self.haproxy is not None:
            steps.append([self.haproxy.stop()])
        steps.append([process.stop(b.proc) for b in self.bridges])
        steps.append([n.stop() for n in self.nodes] + ([self.postgres.stop()] if self.postgres else []))
        if self.epmd is not None:
            steps.append([self.epmd.stop()])
        for step in steps:
            for result in await asyncio.gather(*step, return_exceptions=True):
                if isinstance(result, BaseException):
                    print(f"while stopping: {result}", file=sys.stderr, flush=True)
        self.timings["stop"] = time.monotonic() - began


async def run(args: argparse.Namespace) -> int:
    clock = None if args.clock == "real" else datetime.fromisoformat(args.clock)
    check_installed()
    pg_bin("initdb")  # or the line to run to install it
    stop_on_signals()
    prepare(args.dir)
    cluster = Cluster(args.dir, args.bridges, clock)
    supervisor: asyncio.Task[None] | None = None
    try:
        await cluster.start()
        path = cluster.write_summary()
        t = cluster.timings
        print(
            f"""
Tiski cluster is running ({t["total"]:.1f} s to start: servers {t["servers"]:.1f} s, cluster
{t["cluster"] - t["servers"]:.1f} s, bridges {t["bridges"] - t["cluster"]:.1f} s).
  Patrons (HAProxy):   {cluster.origin}/demo/
  Desks:               {", ".join(n.node + " port " + str(n.c2s_port) for n in cluster.nodes)}
                       (plain sign-in, password '{PASSWORD}'; {cluster.on_duty} is on duty)
  Bridges:             {", ".join(str(b.web_port) for b in cluster.bridges)}
  Everything:          {path}
Press Ctrl+C to stop.""",
            flush=True,
        )
        if args.restart:
            supervisor = asyncio.create_task(cluster.supervise())
        await asyncio.Event().wait()  # until a signal cancels this task
    except asyncio.CancelledError:
        pass
    finally:
        if supervisor is not None:
            supervisor.cancel()
            await asyncio.gather(supervisor, return_exceptions=True)
        await cluster.stop()
        print(f"Tiski cluster stopped ({cluster.timings['stop']:.1f} s).", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.dir = args.dir.resolve()
    try:
        return asyncio.run(run(args))
    except (process.ServerError, DemoError) as e:
        print(f"python -m demo.cluster: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
