"""Load benchmark of the whole path: patrons → bridge → Prosody → desks and back (issue 10).

    .venv/bin/python -m bench.load --patrons 1000 --desks 8 --rate 100 --duration 60
    .venv/bin/python -m bench.load --patrons 1000 --desks 8 --ramp
    .venv/bin/python -m bench.load --patrons 100 --rate 50 --database private-postgres

Starts a private Prosody, the real bridge as its own process (`python -m bridge`), a desk
process (M slixmpp seats) and patron process(es) (N WebSocket patrons), runs the load, then
runs the same load between plain XMPP clients straight through Prosody (the baseline), and
prints latency, throughput, loss, CPU seconds per process and the bridge's memory.
See docs/performance.md. Not part of CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentiles  # noqa: E402
from demo.prosody import PrivateProsody, free_port  # noqa: E402

ROTA = ROOT / "bench" / "rota.yaml"
CLOCK = "2026-11-23T12:00:00+02:00"  # a Monday noon: bench/rota.yaml is open all week anyway
DESK_PASSWORD = "pw-{user}"
UNLIMITED = {  # the bench comes from one address (127.0.0.1) and writes faster than a person
    "messages_per_second": 1000,
    "message_burst": 1000,
    "sockets_per_address": 1_000_000,
    "sessions_per_minute_per_address": 1_000_000,
    "max_sessions": 1_000_000,
}


class BenchProsody(PrivateProsody):
    """The private Prosody of demo/prosody.py, optionally with Nagle's algorithm off."""

    nagle: bool = True

    def write_config(self) -> None:
        super().write_config()
        if not self.nagle:  # a global option: it must come before the first VirtualHost line
            text = self.config_path.read_text()
            self.config_path.write_text("network_settings = { nagle = false }\n" + text)


def raise_file_limit() -> tuple[int, int]:
    """Raise this process's (and so its children's) open-file limit to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return soft, hard


class Worker:
    """A load-generator process driven by one JSON command per line."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self, module: str, *args: str) -> Worker:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 26,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def call(self, cmd: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write((json.dumps(cmd) + "\n").encode())
        await self.proc.stdin.drain()
        raw = await asyncio.wait_for(self.proc.stdout.readline(), timeout)
        if not raw:
            raise RuntimeError(f"{self.name} exited ({await self.proc.wait()})")
        out: dict[str, Any] = json.loads(raw)
        if not out.get("ok"):
            raise RuntimeError(f"{self.name}: {out.get('error')}")
        return out

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        try:
            await self.call({"cmd": "quit"}, timeout=30)
            await asyncio.wait_for(self.proc.wait(), 30)
        except Exception:
            self.proc.kill()
            await self.proc.wait()


def cpu_seconds(pid: int) -> float:
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return float(t.user + t.system)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its live children (PostgreSQL: the server and its backends)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += float(t.user + t.system)
    return total


def machine_cpu_seconds() -> float:
    """CPU seconds used by every process of the machine so far (user, system, irq)."""
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + t.irq + t.softirq)


def rss_mb(pid: int) -> float:
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident set since it started."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Step:
    """One measured load at one rate on one path."""

    path: str
    rate: float
    duration: float
    sent: int = 0
    acked: int = 0
    desk_received: int = 0
    desk_replied: int = 0
    replies: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    dups: int = 0
    late_ticks: int = 0
    send_seconds: float = 0.0
    wall_seconds: float = 0.0
    p2d: dict[str, Any] = field(default_factory=dict)
    d2p: dict[str, Any] = field(default_factory=dict)
    rtt: dict[str, Any] = field(default_factory=dict)
    ack: dict[str, Any] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def lost_p2d(self) -> int:
        return self.sent - self.desk_received

    @property
    def lost_d2p(self) -> int:
        return self.desk_replied - self.replies

    @property
    def lost(self) -> int:
        return self.sent - self.replies

    @property
    def msgs_per_second(self) -> float:
        """Messages delivered per second of sending, both directions counted."""
        return (self.desk_received + self.replies) / self.send_seconds if self.send_seconds else 0.0

    @property
    def patron_msgs_per_second(self) -> float:
        return self.desk_received / self.send_seconds if self.send_seconds else 0.0

    def passed(self, max_p99_ms: float) -> bool:
        """Zero loss, no errors, the offered rate was sent and the round trip stayed short."""
        return (
            self.sent > 0
            and self.lost == 0
            and not self.errors
            and self.sent >= 0.98 * self.rate * self.duration
            and self.send_seconds < self.duration * 1.05
            and (self.rtt.get("p99") or 0) <= max_p99_ms
        )

    def why_failed(self, max_p99_ms: float) -> str:
        reasons = []
        if self.lost:
            reasons.append(f"{self.lost} lost")
        if self.errors:
            reasons.append(f"errors {self.errors}")
        if self.sent < 0.98 * self.rate * self.duration or self.send_seconds >= self.duration * 1.05:
            reasons.append(f"generator sent only {self.sent / self.send_seconds:.0f}/s")
        if (self.rtt.get("p99") or 0) > max_p99_ms:
            reasons.append(f"round trip p99 {self.rtt['p99']:.0f} ms > {max_p99_ms:g}")
        return ", ".join(reasons)

    def busiest(self) -> tuple[str, float]:
        """The process of the run that used the most CPU (percent of one core) during the step."""
        name = max((k for k in self.cpu if k != "other processes"), key=lambda k: self.cpu[k])
        return name, 100 * self.cpu[name] / self.wall_seconds


class Bench:
    """The processes of one benchmark and how they are driven."""

    def __init__(self, args: argparse.Namespace, directory: Path) -> None:
        self.args = args
        self.dir = directory
        self.prosody = BenchProsody(directory / "prosody", log_level="warn")
        self.prosody.nagle = args.prosody_nagle
        self.bridge: asyncio.subprocess.Process | None = None
        self.desks = Worker("desks")
        self.patrons: list[Worker] = []
        self.web_port = free_port()
        self.report: dict[str, Any] = {"params": vars(args).copy()}
        self.database: str | None = args.database  # a postgresql:// URL; None: SQLite in the folder
        self.postgres: Any = None

    async def start_postgres(self) -> None:
        """`--database private-postgres`: a PostgreSQL server of the run's own (tests/bridge/pg.py)."""
        if self.database != "private-postgres":
            return
        from tests.bridge.pg import PrivatePostgres

        self.postgres = PrivatePostgres()
        self.postgres.start()
        self.database = await self.postgres.new_database()

    # set-up

    def desk_jids(self) -> list[str]:
        return [f"bench{i}@{self.prosody.domain}" for i in range(1, self.args.desks + 1)]

    def write_accounts(self) -> None:
        """Prosody's internal_plain accounts as files: thousands in a second, not an hour."""
        folder = self.prosody.directory / "data" / self.prosody.domain.replace(".", "%2e") / "accounts"
        folder.mkdir(parents=True, exist_ok=True)
        users = [(f"bench{i}", DESK_PASSWORD.format(user=f"bench{i}")) for i in range(1, 33)]
        if not self.args.no_direct:
            users += [(f"p{i}", f"pw-p{i}") for i in range(self.args.patrons)]
        for user, password in users:
            (folder / f"{user}.dat").write_text(f'return {{\n\t["password"] = "{password}";\n}};\n')

    async def start_prosody(self) -> None:
        self.prosody.write_config()
        self.write_accounts()
        await self.prosody.start()

    async def start_bridge(self) -> None:
        config = {
            "xmpp": {
                "host": "127.0.0.1",
                "port": self.prosody.component_port,
                "component": self.prosody.component,
                "secret": self.prosody.secret,
            },
            "web": {"host": "127.0.0.1", "port": self.web_port},
            "database": self.database or str(self.dir / "tiski.sqlite3"),
            "rota": str(ROTA),
            "demo_clock": CLOCK,
            "limits": UNLIMITED,
        }
        path = self.dir / "bridge.yaml"
        path.write_text(yaml.safe_dump(config))
        log = open(self.dir / "bridge.log", "ab")
        self.bridge = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bridge",
            "--config",
            str(path),
            "--log-level",
            "WARNING",
            cwd=self.args.bridge_root,
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONPATH": str(self.args.bridge_root)},
        )
        import aiohttp

        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                try:
                    async with http.get(f"http://127.0.0.1:{self.web_port}/health") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if self.bridge.returncode is not None:
                    break
                await asyncio.sleep(0.1)
        raise RuntimeError(f"bridge did not come up; see {self.dir / 'bridge.log'}")

    async def stop_bridge(self) -> None:
        if self.bridge is not None and self.bridge.returncode is None:
            self.bridge.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.bridge.wait(), 30)
            except TimeoutError:
                self.bridge.kill()
                await self.bridge.wait()

    async def start_desks(self) -> None:
        await self.desks.start("bench.desks")
        r = await self.desks.call(
            {
                "cmd": "connect",
                "jids": self.desk_jids(),
                "password": DESK_PASSWORD,
                "port": self.prosody.c2s_port,
                "component": self.prosody.component,
            }
        )
        say(f"  {r['connected']} desk seats connected in {r['seconds']:.1f} s")
        await asyncio.sleep(1.0)  # let the bridge see their presence

    async def start_patrons(self, mode: str) -> int:
        n, procs = self.args.patrons, self.args.patron_procs
        self.patrons = []
        for i in range(procs):
            args = ["--mode", mode]
            if mode == "ws":
                args += ["--url", f"ws://127.0.0.1:{self.web_port}/ws"]
            else:
                args += [
                    "--port",
                    str(self.prosody.c2s_port),
                    "--domain",
                    self.prosody.domain,
                    "--desks",
                    ",".join(f"{j}/desk-1" for j in self.desk_jids()),
                ]
            self.patrons.append(await Worker(f"patrons-{i + 1}").start("bench.patrons", *args))
        share = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
        firsts = [sum(share[:i]) for i in range(procs)]
        results = await asyncio.gather(
            *(
                w.call({"cmd": "connect", "first": f, "count": c, "concurrency": self.args.concurrency})
                for w, f, c in zip(self.patrons, firsts, share, strict=True)
            )
        )
        connected = sum(r["connected"] for r in results)
        failed: dict[str, int] = {}
        for r in results:
            for k, v in r["failed"].items():
                failed[k] = failed.get(k, 0) + v
        secs = max(r["seconds"] for r in results)
        say(
            f"  {connected}/{n} patrons connected ({mode}) in {secs:.1f} s"
            + (f"; failed: {failed}" if failed else "")
        )
        self.report.setdefault("connect", {})[mode] = {
            "connected": connected,
            "failed": failed,
            "seconds": secs,
        }
        return connected

    async def setup_chats(self) -> None:
        procs = len(self.patrons)
        results = await asyncio.gather(
            *(
                w.call(
                    {
                        "cmd": "setup",
                        "rate": self.args.setup_rate / procs,
                        "timeout": 60,
                        "window": max(1, self.args.setup_window // procs),
                    },
                    timeout=3600,
                )
                for w in self.patrons
            )
        )
        active = sum(r["active"] for r in results)
        first = percentiles([x for r in results for x in r.get("first_ms", [])])
        errors: dict[str, int] = {}
        for r in results:
            for k, v in r["errors"].items():
                errors[k] = errors.get(k, 0) + v
        seconds = max(r["seconds"] for r in results)
        say(
            f"  {active} chats active (accepted by their desk) in {seconds:.1f} s"
            + (f"; errors: {errors}" if errors else "")
            + f"; first line answered p50 {fmt(first['p50'])} ms, p99 {fmt(first['p99'])} ms"
        )
        self.report["setup"] = {"active": active, "errors": errors, "seconds": seconds, "first_line": first}

    async def stop_patrons(self) -> None:
        await asyncio.gather(*(w.stop() for w in self.patrons))
        self.patrons = []

    # measuring

    def pids(self, path: str) -> dict[str, int]:
        pids = {"prosody": self.prosody._process.pid if self.prosody._process else 0, "desks": self.desks.pid}
        if path == "bridge" and self.bridge is not None:
            pids["bridge"] = self.bridge.pid
        for w in self.patrons:
            pids[w.name] = w.pid
        return pids

    def postgres_pid(self) -> int | None:
        """The private PostgreSQL server's pid (its backends are its children)."""
        if self.postgres is None:
            return None
        return int((self.postgres.data / "postmaster.pid").read_text().split()[0])

    async def measure(self, path: str, rate: float, duration: float) -> Step:
        pids = self.pids(path)
        await self.desks.call({"cmd": "reset"})
        profiler = None
        if self.args.profile and path == "bridge":
            out = self.args.profile.with_suffix(f".{rate:.0f}.txt")
            profiler = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).with_name("py-spy")),
                "record",
                "-p",
                str(pids["bridge"]),
                "-d",
                str(int(duration)),
                "-r",
                "250",
                "--format",
                "raw",
                "-o",
                str(out),
                "--nonblocking",
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        machine0 = machine_cpu_seconds()
        cpu0 = {k: cpu_seconds(p) for k, p in pids.items()}
        pg = self.postgres_pid() if path == "bridge" else None
        pg0 = tree_cpu_seconds(pg) if pg else 0.0
        t0 = time.monotonic()
        procs = len(self.patrons)
        results = await asyncio.gather(
            *(
                w.call(
                    {
                        "cmd": "run",
                        "rate": rate / procs,
                        "duration": duration,
                        "drain": self.args.drain,
                        "seed": i,
                    },
                    timeout=duration + self.args.drain + 120,
                )
                for i, w in enumerate(self.patrons)
            )
        )
        wall = time.monotonic() - t0
        cpu = {k: cpu_seconds(p) - cpu0[k] for k, p in pids.items()}
        if pg:
            cpu["postgresql"] = tree_cpu_seconds(pg) - pg0
        cpu["other processes"] = max(0.0, machine_cpu_seconds() - machine0 - sum(cpu.values()))
        if profiler is not None:
            await profiler.wait()
        desk = await self.desks.call({"cmd": "collect"})
        step = Step(path=path, rate=rate, duration=duration, wall_seconds=wall, cpu=cpu)
        for r in results:
            step.sent += r["sent"]
            step.acked += r["acked"]
            step.replies += r["replies"]
            step.dups += r["dup_replies"]
            step.late_ticks += r["late_ticks"]
            step.send_seconds = max(step.send_seconds, r["send_seconds"])
            for k, v in r["errors"].items():
                step.errors[k] = step.errors.get(k, 0) + v
        step.desk_received, step.desk_replied = desk["received"], desk["replied"]
        step.dups += desk["dups"]
        step.p2d = percentiles(desk["p2d_ms"])
        step.d2p = percentiles([x for r in results for x in r["d2p_ms"]])
        step.rtt = percentiles([x for r in results for x in r["rtt_ms"]])
        step.ack = percentiles([x for r in results for x in r["ack_ms"]])
        return step

    async def ramp(self, path: str) -> dict[str, Any]:
        a = self.args
        rate, best, steps = a.ramp_start, None, []
        while rate <= a.ramp_max:
            step = await self.measure(path, rate, a.ramp_step_seconds)
            steps.append(step)
            ok = step.passed(a.max_p99)
            name, pct = step.busiest()
            others = 100 * step.cpu.get("other processes", 0) / step.wall_seconds
            say(
                f"  ramp {path}: {rate:7.0f}/s  sent {step.sent}  lost {step.lost}  errors {step.errors}"
                f"  rtt p50 {fmt(step.rtt['p50'])} p99 {fmt(step.rtt['p99'])} ms  busiest {name} {pct:.0f}%"
                f"  (others {others:.0f}%)  " + ("ok" if ok else "FAIL: " + step.why_failed(a.max_p99))
            )
            if not ok:
                break
            best = step
            rate = round(rate * a.ramp_factor)
            await asyncio.sleep(2)
        last = steps[-1]
        saturated, pct = last.busiest()
        return {
            "max_rate": best.rate if best else 0,
            "best": best,
            "failed_at": None if last is best else last,
            "saturated": saturated,
            "saturated_pct": pct,
            "steps": steps,
        }


def say(text: str) -> None:
    print(text, flush=True)


def fmt(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def table(steps: list[Step], extra: dict[str, Any]) -> str:
    """The results as a Markdown table: one column per path."""
    cols = [s.path for s in steps]
    rows: list[tuple[str, list[str]]] = []

    def lat(label: str, attr: str) -> None:
        for q in ("p50", "p95", "p99", "max"):
            vals = [getattr(s, attr) for s in steps]
            if all(not v.get("n") for v in vals):
                continue
            rows.append((f"{label} {q} (ms)", [fmt(v.get(q), 2) if v.get("n") else "-" for v in vals]))

    lat("patron→desk", "p2d")
    lat("desk→patron", "d2p")
    lat("round trip", "rtt")
    lat("patron ack", "ack")
    rows.append(("offered patron lines/s", [f"{s.rate:.0f}" for s in steps]))
    rows.append(("delivered messages/s (both ways)", [f"{s.msgs_per_second:.0f}" for s in steps]))
    rows.append(("lines sent / answers received", [f"{s.sent} / {s.replies}" for s in steps]))
    rows.append(("lost patron→desk / desk→patron", [f"{s.lost_p2d} / {s.lost_d2p}" for s in steps]))
    rows.append(("errors", [", ".join(f"{k} {v}" for k, v in s.errors.items()) or "0" for s in steps]))
    order = ("bridge", "prosody", "desks")
    names = sorted(
        {k for s in steps for k in s.cpu},
        key=lambda k: (order.index(k) if k in order else 4 if k == "other processes" else 3, k),
    )
    for name in names:
        rows.append(
            (
                f"CPU s {name}",
                [
                    f"{s.cpu[name]:.1f} ({100 * s.cpu[name] / s.wall_seconds:.0f}%)" if name in s.cpu else "-"
                    for s in steps
                ],
            )
        )
    for label, value in extra.items():
        rows.append((label, [value if s.path == "bridge" else "-" for s in steps]))
    width = max(len(r[0]) for r in rows)
    out = [
        f"| {'':{width}} | " + " | ".join(cols) + " |",
        f"|{'-' * (width + 2)}|" + "|".join("-" * (len(c) + 2) for c in cols) + "|",
    ]
    out += [f"| {label:{width}} | " + " | ".join(vals) + " |" for label, vals in rows]
    return "\n".join(out)


def step_json(s: Step | None) -> dict[str, Any] | None:
    if s is None:
        return None
    d = dict(s.__dict__)
    d.update(lost=s.lost, lost_p2d=s.lost_p2d, lost_d2p=s.lost_d2p, msgs_per_second=s.msgs_per_second)
    return d


async def run(args: argparse.Namespace) -> int:
    soft, hard = raise_file_limit()
    say(f"open-file limit: {soft} → {hard} (RLIMIT_NOFILE, inherited by every process of the run)")
    if args.patrons + 200 > hard:
        say(
            f"warning: {args.patrons} patrons need more open files than the hard limit {hard}; "
            "raise it (ulimit -Hn, /etc/security/limits.conf) first"
        )
    directory = Path(tempfile.mkdtemp(prefix="tiski-bench-"))
    bench = Bench(args, directory)
    steps: list[Step] = []
    ramps: dict[str, dict[str, Any]] = {}
    extra: dict[str, str] = {}
    try:
        say(f"private Prosody and bridge under {directory}")
        await bench.start_prosody()
        await bench.start_postgres()
        await bench.start_desks()  # before the bridge too: the direct path needs them anyway
        if not args.direct_only:
            await bench.start_bridge()
            assert bench.bridge is not None
            bpid = bench.bridge.pid
            await asyncio.sleep(1.0)
            rss0 = rss_mb(bpid)
            connected = await bench.start_patrons("ws")
            await asyncio.sleep(3.0)
            rss_idle = rss_mb(bpid)
            per = (rss_idle - rss0) * 1024 / connected if connected else 0.0
            say(
                f"  bridge RSS {rss0:.0f} MB before patrons, {rss_idle:.0f} MB with {connected} idle "
                f"sessions: {per:.1f} KB per idle patron session"
            )
            await bench.setup_chats()
            rss_active = rss_mb(bpid)
            if args.ramp:
                ramps["bridge"] = await bench.ramp("bridge")
            else:
                steps.append(await bench.measure("bridge", args.rate, args.duration))
            peak = peak_rss_mb(bpid)
            extra = {
                "bridge RSS: start / N idle / N active (MB)": (
                    f"{rss0:.0f} / {rss_idle:.0f} / {rss_active:.0f}"
                ),
                "bridge peak RSS (MB)": f"{peak:.0f}",
                "bridge RSS per idle patron session (KB)": f"{per:.1f}",
            }
            bench.report["memory"] = {
                "rss_start_mb": rss0,
                "rss_idle_mb": rss_idle,
                "rss_active_mb": rss_active,
                "peak_rss_mb": peak,
                "kb_per_idle_session": per,
                "sessions": connected,
            }
            await bench.stop_patrons()
            await bench.stop_bridge()
        if not args.no_direct:
            await bench.start_patrons("xmpp")
            await asyncio.sleep(2.0)
            if args.ramp:
                ramps["direct"] = await bench.ramp("direct")
            else:
                steps.append(await bench.measure("direct", args.rate, args.duration))
            await bench.stop_patrons()
    finally:
        await bench.stop_patrons()
        await bench.stop_bridge()
        await bench.desks.stop()
        await bench.prosody.stop()
        if bench.postgres is not None:
            bench.postgres.stop()
    say("")
    say(
        f"load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        "(the machine is shared: see 'CPU s other processes')"
    )
    say(
        f"N = {args.patrons} patrons, M = {args.desks} desk seats, "
        + (
            f"ramp from {args.ramp_start}/s ×{args.ramp_factor}, {args.ramp_step_seconds:.0f} s a step"
            if args.ramp
            else f"{args.rate:g} patron lines/s for {args.duration:g} s"
        )
        + f", {os.cpu_count()} cores"
    )
    if args.ramp:
        for path, r in ramps.items():
            failed = r["failed_at"]
            detail = ""
            if failed is not None:
                detail = (
                    f"; at {failed.rate:.0f}/s ({failed.why_failed(args.max_p99)}) CPU: "
                    + ", ".join(f"{k} {100 * v / failed.wall_seconds:.0f}%" for k, v in failed.cpu.items())
                    + f"; machine {100 * sum(failed.cpu.values()) / failed.wall_seconds:.0f}% "
                    f"of {100 * (os.cpu_count() or 1)}%"
                )
            say(
                f"- {path}: highest rate with zero loss and round trip p99 ≤ {args.max_p99:g} ms: "
                f"{r['max_rate']:.0f} patron lines/s; first saturated: {r['saturated']} "
                f"({r['saturated_pct']:.0f}% of a core){detail}"
            )
        shown = [r["best"] or r["steps"][0] for r in ramps.values()]
        say(table(shown, extra))
        if "bridge" in ramps and "direct" in ramps and ramps["direct"]["max_rate"]:
            say(
                f"throughput ratio bridge/direct: "
                f"{ramps['bridge']['max_rate'] / ramps['direct']['max_rate']:.2f}"
            )
        bench.report["ramp"] = {
            p: {
                **r,
                "best": step_json(r["best"]),
                "failed_at": step_json(r["failed_at"]),
                "steps": [step_json(s) for s in r["steps"]],
            }
            for p, r in ramps.items()
        }
    else:
        say(table(steps, extra))
        by = {s.path: s for s in steps}
        if "bridge" in by and "direct" in by:
            b, d = by["bridge"], by["direct"]
            ratios = {
                q: (b.rtt[q] / d.rtt[q]) if b.rtt.get(q) and d.rtt.get(q) else None
                for q in ("p50", "p95", "p99")
            }
            tput = b.msgs_per_second / d.msgs_per_second if d.msgs_per_second else None
            say(
                "ratio bridge/direct: round trip "
                + ", ".join(f"{q} {fmt(v, 2)}×" for q, v in ratios.items())
                + f"; delivered messages/s {fmt(tput, 2)}×"
            )
            bench.report["ratio"] = {"rtt": ratios, "throughput": tput}
        bench.report["steps"] = [step_json(s) for s in steps]
    for s in [*steps, *(x for r in ramps.values() for x in r["steps"])]:
        for k in ("p2d", "d2p", "rtt", "ack"):
            getattr(s, k).pop("values", None)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(bench.report, indent=1, default=str))
        say(f"results written to {args.out}")
    if args.keep:
        say(f"kept {directory}")
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--patrons", "-n", type=int, default=100, help="N simulated patrons (default 100)")
    p.add_argument("--desks", "-m", type=int, default=4, help="M desk seats, at most 32 (default 4)")
    p.add_argument(
        "--rate",
        type=float,
        help="patron lines per second in all (default N/10: "
        "each patron writes every 10 s); every line is answered by its desk",
    )
    p.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    p.add_argument(
        "--drain",
        type=float,
        default=10,
        help="seconds to wait for answers after the "
        "load stops; a line unanswered by then counts as lost (default 10)",
    )
    p.add_argument(
        "--ramp",
        action="store_true",
        help="raise the rate step by step until a step "
        "loses a message, errs or misses --max-p99; report the last good rate",
    )
    p.add_argument("--ramp-start", type=float, default=250)
    p.add_argument("--ramp-factor", type=float, default=1.25)
    p.add_argument("--ramp-max", type=float, default=20000)
    p.add_argument("--ramp-step-seconds", type=float, default=20)
    p.add_argument("--max-p99", type=float, default=1000, help="ramp: round-trip p99 limit in ms (1000)")
    p.add_argument("--no-direct", action="store_true", help="skip the direct Prosody baseline")
    p.add_argument("--direct-only", action="store_true", help="only the direct Prosody baseline")
    p.add_argument("--patron-procs", type=int, default=1, help="patron load-generator processes (1)")
    p.add_argument("--concurrency", type=int, default=50, help="patrons connecting at once (50)")
    p.add_argument("--setup-rate", type=float, default=250, help="new chats per second at set-up (250)")
    p.add_argument(
        "--prosody-nagle",
        action="store_true",
        help="leave Nagle's algorithm on in "
        "Prosody (its default); by default the bench sets network_settings = { nagle = false }",
    )
    p.add_argument(
        "--bridge-root",
        type=Path,
        default=ROOT,
        help="run the bridge from this source "
        "tree (e.g. an export of an older commit, for before/after figures)",
    )
    p.add_argument(
        "--profile",
        type=Path,
        help="record the bridge with py-spy during each measured "
        "bridge step: collapsed stacks in PROFILE.<rate>.txt (see bench/profile_top.py)",
    )
    p.add_argument(
        "--setup-window",
        type=int,
        default=16,
        help="at most this many new chats waiting for their desk at set-up (16)",
    )
    p.add_argument(
        "--burst",
        type=float,
        metavar="R",
        help="burst mode: the N patrons open their chats at R a second with no window (the "
        "M seats answer each); reports the first line's round trip p50/p99 and the time to drain",
    )
    p.add_argument(
        "--database",
        help="the bridge's `database:` (a postgresql:// URL), or `private-postgres` for a server "
        "of the run's own; default: SQLite in the run's folder",
    )
    p.add_argument("--out", type=Path, help="also write the results as JSON here")
    p.add_argument("--keep", action="store_true", help="keep the run's folder (logs, database)")
    args = p.parse_args(argv)
    if not 1 <= args.desks <= 32:
        p.error("--desks: 1 … 32 (bench/rota.yaml has 32 desk accounts)")
    if args.rate is None:
        args.rate = args.patrons / 10
    if args.burst:
        args.setup_rate, args.setup_window = args.burst, args.patrons
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
