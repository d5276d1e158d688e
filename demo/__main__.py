"""`python -m demo` (or `./tiski demo`): the whole Tiski on this machine, as a training sandbox.

Starts a private Prosody, the bridge with the PIKI example, the demo library pages, optionally a
scripted patron, and the console in the foreground signed in as the desk on duty. Quitting the
console (Ctrl+Q), Ctrl+C, SIGTERM or closing the terminal (SIGHUP) stops everything the demo
started. It refuses to start when its web port is taken.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
import yaml

from demo.prosody import PrivateProsody, ProsodyMissing, fingerprint, free_port

ROOT = Path(__file__).resolve().parent.parent
PIKI = ROOT / "examples" / "piki"
DEMO_PASSWORD = "demo"
# Monday 10:30 in Helsinki: the PIKI chat is open and Tampere is on duty.
DEFAULT_CLOCK = "2026-11-23T10:30:00+02:00"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="./tiski demo", description=__doc__.splitlines()[0])
    p.add_argument(
        "--clock",
        default=DEFAULT_CLOCK,
        help="the instant the demo's clock starts from (ISO with offset), or 'real' "
        f"for the real time (default {DEFAULT_CLOCK}, a Monday morning)",
    )
    p.add_argument(
        "--desk", default=None, help="desk account the console signs in as (default: the desk on duty)"
    )
    p.add_argument(
        "--patron", action="store_true", help="also run a scripted patron who asks typical questions"
    )
    p.add_argument(
        "--no-console", action="store_true", help="do not start the console; keep running until Ctrl+C"
    )
    p.add_argument("--port", type=int, default=8080, help="web port of the bridge (default 8080)")
    p.add_argument(
        "--dir",
        type=Path,
        default=ROOT / "var" / "demo",
        help="runtime folder for configs, databases and logs (default var/demo)",
    )
    return p.parse_args(argv)


def on_duty_desk(clock: datetime | None) -> str:
    from rota import load_roster
    from rota.decide import on_duty

    roster = load_roster(PIKI / "rota.yaml")
    instant = clock or datetime.now().astimezone()
    target = on_duty(roster, instant) or (roster.fallback[0] if roster.fallback else None)
    desks = roster.desks_of(target) if target else ()
    if not desks:
        desks = next(iter(roster.libraries.values())).desks
    return desks[0]


def write_configs(
    args: argparse.Namespace, prosody: PrivateProsody, clock: datetime | None, desk: str
) -> tuple[Path, Path]:
    web_port = args.port if args.port else free_port()
    bridge = {
        "xmpp": {
            "host": "127.0.0.1",
            "port": prosody.component_port,
            "component": prosody.component,
            "secret": prosody.secret,
        },
        "web": {"host": "127.0.0.1", "port": web_port, "demo_pages": True, "allowed_origins": []},
        "database": str(args.dir / "tiski.sqlite3"),
        "rota": str(PIKI / "rota.yaml"),
        "tags": str(PIKI / "tags.yaml"),
    }
    for key, name in (("faq", "faq.yaml"), ("canned", "canned.yaml")):
        if (PIKI / name).exists():
            bridge[key] = str(PIKI / name)
    if clock is not None:
        bridge["demo_clock"] = clock.isoformat()
    bridge_path = args.dir / "bridge.yaml"
    bridge_path.write_text(yaml.safe_dump(bridge))
    console = {
        "xmpp": {
            "jid": f"{desk}/demo-seat",
            "password": DEMO_PASSWORD,
            "host": "127.0.0.1",
            "port": prosody.c2s_port,
            "tls": "off",
        },
        "bridge": prosody.component,
        "roster": str(PIKI / "rota.yaml"),
        "lang": "fi",
        "log": str(args.dir / "console.sqlite3"),
    }
    if clock is not None:
        console["demo_clock"] = clock.isoformat()  # one day and time in the whole demo
    if (PIKI / "canned.yaml").exists():
        console["canned"] = str(PIKI / "canned.yaml")
    if (PIKI / "tags.yaml").exists():
        console["tags"] = str(PIKI / "tags.yaml")
    console_path = args.dir / "console.yaml"
    console_path.write_text(yaml.safe_dump(console))
    return bridge_path, console_path


class DemoError(Exception):
    """The demo cannot start; the message says why and what to do."""


def port_in_use(port: int) -> bool:
    """Is something listening on loopback `port`? (A socket in TIME_WAIT does not count.)"""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


@dataclass
class Children:
    """The demo's child processes, all in one process group of their own.

    One group so that stopping is one `killpg` that cannot miss a grandchild; not the
    terminal's group, so that a hangup reaches only the demo, which then stops them in order.
    """

    pgid: int | None = None
    procs: list[asyncio.subprocess.Process] = field(default_factory=list)

    async def start(self, args: list[str], log_path: Path) -> asyncio.subprocess.Process:
        with log_path.open("ab") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                *args,
                cwd=ROOT,
                stdout=log,
                stderr=log,
                process_group=self.pgid if self.pgid is not None else 0,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        if self.pgid is None:
            self.pgid = proc.pid
        self.procs.append(proc)
        return proc

    async def stop(self) -> None:
        """SIGTERM to each child, newest first; SIGKILL for one that takes over 5 s."""
        for proc in reversed(self.procs):
            if proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 5)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()

    def kill_group(self) -> None:
        """SIGKILL to anything left in the group (a grandchild the children did not stop)."""
        if self.pgid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pgid, signal.SIGKILL)


async def wait_healthy(port: int, proc: asyncio.subprocess.Process, log: Path) -> None:
    """Wait until this bridge answers /health with 200 (connected to Prosody)."""
    url = f"http://127.0.0.1:{port}/health"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
        for _ in range(300):
            if proc.returncode is not None:
                tail = await asyncio.to_thread(log.read_text)
                raise DemoError(f"the bridge stopped; see {log}:\n{tail[-2000:]}")
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise DemoError(f"the bridge did not answer {url} within 30 s; see {log}")


def stop_on_signals() -> None:
    """SIGHUP (terminal closed), SIGTERM and Ctrl+C cancel the demo, which then cleans up."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None

    def stop(sig: signal.Signals) -> None:
        for s in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(s)  # a second signal during cleanup is not a second cancel
            loop.add_signal_handler(s, lambda: None)
        print(f"\nStopping the demo ({sig.name}) …", flush=True)
        main.cancel()

    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig)


async def run(args: argparse.Namespace) -> int:
    clock = None if args.clock == "real" else datetime.fromisoformat(args.clock)
    if clock is not None and clock.tzinfo is None:
        raise SystemExit("--clock needs a UTC offset, e.g. 2026-11-23T10:30:00+02:00")
    if args.port and port_in_use(args.port):
        raise DemoError(
            f"port {args.port} is in use (is another demo or program using it?): "
            "stop it, or choose another port with --port"
        )
    stop_on_signals()
    if args.dir.exists():
        shutil.rmtree(args.dir)  # a fresh sandbox every time
    args.dir.mkdir(parents=True)
    from rota import load_roster

    roster = load_roster(PIKI / "rota.yaml")
    desk = args.desk or on_duty_desk(clock)
    # Serve the roster's own desk domain, and the component beside it (patrons.<domain>).
    domain = roster.all_desks[0].partition("@")[2] if roster.all_desks else "chat.localhost"
    children = Children()
    prosody = PrivateProsody(
        args.dir / "prosody", domain=domain, component=f"patrons.{domain}", tls=True, process_group=0
    )
    try:
        await prosody.start()
        children.pgid = prosody.pid
        accounts = {d for lib in roster.libraries.values() for d in lib.desks}
        accounts |= set(roster.coordinators)
        await prosody.register((a, DEMO_PASSWORD) for a in sorted(accounts))
        bridge_cfg, console_cfg = write_configs(args, prosody, clock, desk)
        port = yaml.safe_load(bridge_cfg.read_text())["web"]["port"]
        bridge_log = args.dir / "bridge.log"
        bridge = await children.start(["-m", "bridge", "--config", str(bridge_cfg)], bridge_log)
        await wait_healthy(port, bridge, bridge_log)
        url = f"http://127.0.0.1:{port}/demo/"
        print(
            f"""
Tiski demo is running.
  Library page with the chat widget:  {url}
  Desk accounts (password '{DEMO_PASSWORD}'):  {", ".join(sorted(accounts)[:4])}, … (any XMPP
    client: server 127.0.0.1 port {prosody.c2s_port}; STARTTLS with a self-signed certificate,
    accept it once, comparing its fingerprint:
      SHA-256 {fingerprint(prosody.certificate_path)}
      SHA-1 {fingerprint(prosody.certificate_path, "sha1")};
    plain without TLS works too on this loopback demo)
  Console signed in as:               {desk}
  Logs:                               {args.dir}/*.log
""",
            flush=True,
        )
        if args.patron:
            await children.start(
                ["-m", "demo.patron", "--url", f"ws://127.0.0.1:{port}/ws"], args.dir / "patron.log"
            )
        if args.no_console or not (ROOT / "console" / "__main__.py").exists():
            print("Press Ctrl+C to stop.", flush=True)
            await asyncio.Event().wait()  # until a signal cancels this task
            return 0
        # The console stays in the terminal's process group: it reads the keyboard.
        console = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "console",
            "--config",
            str(console_cfg),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            return await console.wait()
        finally:
            if console.returncode is None:
                console.terminate()
                await console.wait()
    except asyncio.CancelledError:
        return 0
    finally:
        await children.stop()
        await prosody.stop()
        children.kill_group()
        print("Tiski demo stopped.", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.dir = args.dir.resolve()
    try:
        return asyncio.run(run(args))
    except (ProsodyMissing, DemoError) as e:
        print(f"./tiski demo: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
