"""`python -m bench.load --cluster N`: the load benchmark against the cluster of demo/cluster.py.

Instead of Prosody and one bridge: two ejabberd nodes in one cluster, a private PostgreSQL,
N bridges (one component, `component_number` N) and HAProxy in front of their web ports.
The bridges get the bench's roster, demo clock and lifted limits; the desk seats bench1 … benchM
sign in alternately at the two nodes; the patrons come through HAProxy's port.
Needs root, as `python -m demo.cluster` does. See docs/performance.md, "Cluster".
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.load import CLOCK, DESK_PASSWORD, ROTA, UNLIMITED, Bench, Step, say
from demo import process
from demo.cluster import COMPONENT, DOMAIN, BridgeProcess, Cluster, prepare
from demo.ejabberd import EjabberdNode, check_installed
from demo.postgres import pg_bin

KINDS = ("bridges", "ejabberd", "postgresql", "haproxy", "desks", "patrons", "other processes")


class BenchCluster(Cluster):
    """demo/cluster.py's cluster with the bench's bridges: its roster, clock, limits, log level."""

    roster: Path = ROTA

    def bridge_config(self, bridge: BridgeProcess, nodes: list[EjabberdNode], roster: Path) -> dict[str, Any]:
        assert self.postgres is not None
        return {
            "xmpp": {
                "component": COMPONENT,
                "secret": self.secret,
                "hosts": [f"127.0.0.1:{n.component_port}" for n in nodes],
            },
            "web": {"host": "127.0.0.1", "port": bridge.web_port, "trusted_proxies": ["127.0.0.1"]},
            "database": self.postgres.dsn,
            "rota": str(ROTA),
            "demo_clock": CLOCK,
            "limits": UNLIMITED,
        }

    async def _launch(self, bridge: BridgeProcess) -> None:
        from demo.__main__ import ROOT, wait_healthy

        bridge.proc = await process.start(
            [sys.executable, "-m", "bridge", "--config", str(bridge.config_path), "--log-level", "WARNING"],
            bridge.log_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        await wait_healthy(bridge.web_port, bridge.proc, bridge.log_path)


class ClusterBench(Bench):
    """The bench's processes with the cluster in place of Prosody and the single bridge."""

    def __init__(self, args: Any, directory: Path) -> None:
        super().__init__(args, directory)
        self.cluster = BenchCluster(directory / "cluster", args.cluster, None)
        self.cluster_up = False

    @staticmethod
    def make_directory() -> Path:
        """A folder the ejabberd and postgres users can reach (mkdtemp's 0700 is not)."""
        directory = Path(tempfile.mkdtemp(prefix="tiski-bench-cluster-", dir="/var/tmp"))
        directory.chmod(0o711)
        return directory

    # the servers (Prosody's place)

    async def start_prosody(self) -> None:
        check_installed()
        pg_bin("initdb")
        prepare(self.cluster.directory)
        say(f"  cluster: 2 ejabberd nodes, PostgreSQL, {self.args.cluster} bridge(s), HAProxy")
        await self.cluster.start()  # the bridges too: they are part of the cluster
        self.cluster_up = True
        await self.cluster.nodes[0].register(
            (f"bench{i}@{DOMAIN}", DESK_PASSWORD.format(user=f"bench{i}")) for i in range(1, 33)
        )
        self.web_port = self.cluster.web_port
        t = self.cluster.timings
        say(f"  cluster up in {t['total']:.1f} s")

    async def stop_servers(self) -> None:
        await self.cluster.stop()

    async def start_bridge(self) -> None:
        """The bridges started with the cluster; here only the bench's `bridge` handle."""
        assert self.cluster.bridges and self.cluster.bridges[0].proc is not None
        self.bridge = self.cluster.bridges[0].proc

    async def stop_bridge(self) -> None:
        """Stopped with the cluster (stop_servers)."""

    # desks

    def desk_jids(self) -> list[str]:
        return [f"bench{i}@{DOMAIN}" for i in range(1, self.args.desks + 1)]

    async def start_desks(self) -> None:
        await self.desks.start("bench.desks")
        nodes = self.cluster.nodes
        r = await self.desks.call(
            {
                "cmd": "connect",
                "jids": self.desk_jids(),
                "password": DESK_PASSWORD,
                "port": nodes[0].c2s_port,
                "ports": [nodes[i % len(nodes)].c2s_port for i in range(self.args.desks)],
                "component": COMPONENT,
            }
        )
        say(f"  {r['connected']} desk seats connected in {r['seconds']:.1f} s, alternately at the two nodes")
        await asyncio.sleep(1.0)  # let the bridges see their presence

    # measuring

    def pids(self, path: str) -> dict[str, int]:
        pids: dict[str, int] = {"desks": self.desks.pid}
        for i, n in enumerate(self.cluster.nodes, 1):
            if n.pid:
                pids[f"ejabberd {i}"] = n.pid
        for b in self.cluster.bridges:
            if b.proc is not None:
                pids[f"bridge {b.number}"] = b.proc.pid
        if self.cluster.haproxy is not None and self.cluster.haproxy.pid:
            pids["haproxy"] = self.cluster.haproxy.pid
        for w in self.patrons:
            pids[w.name] = w.pid
        return pids

    def postgres_pid(self) -> int | None:
        return self.cluster.postgres.pid if self.cluster.postgres is not None else None

    def bridge_pids(self) -> list[int]:
        return [b.proc.pid for b in self.cluster.bridges if b.proc is not None]


def kind(name: str) -> str:
    """The process kind of a CPU entry of a step ("bridge 2" → "bridges")."""
    if name.startswith("bridge"):
        return "bridges"
    if name.startswith("ejabberd"):
        return "ejabberd"
    if name.startswith("patrons"):
        return "patrons"
    return name


def cpu_by_kind(step: Step) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, seconds in step.cpu.items():
        out[kind(name)] = out.get(kind(name), 0.0) + seconds
    return out


def cpu_per_line(step: Step) -> dict[str, float]:
    """CPU milliseconds per patron line (its answer included), per process kind."""
    lines = step.sent or 1
    return {k: 1000 * v / lines for k, v in cpu_by_kind(step).items()}


def per_line_text(step: Step) -> str:
    per = cpu_per_line(step)
    order = [k for k in (*KINDS, "prosody") if k in per] + sorted(
        k for k in per if k not in (*KINDS, "prosody")
    )
    return ", ".join(f"{k} {per[k]:.2f}" for k in order)
