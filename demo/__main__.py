"""`python -m demo` (or `./tiski demo`): the whole Tiski on this machine, as a training sandbox.

Starts a private Prosody, the bridge with the PIKI example, the demo library pages, optionally a
scripted patron, and the console in the foreground signed in as the desk on duty. Quitting the
console (Ctrl+Q) stops everything the demo started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import sys
from datetime import datetime
from pathlib import Path

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
    if (PIKI / "canned.yaml").exists():
        console["canned"] = str(PIKI / "canned.yaml")
    if (PIKI / "tags.yaml").exists():
        console["tags"] = str(PIKI / "tags.yaml")
    console_path = args.dir / "console.yaml"
    console_path.write_text(yaml.safe_dump(console))
    return bridge_path, console_path


async def start_process(args: list[str], log_path: Path) -> asyncio.subprocess.Process:
    log = log_path.open("ab")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


async def wait_port(port: int, proc: asyncio.subprocess.Process, log: Path) -> None:
    for _ in range(300):
        if proc.returncode is not None:
            tail = await asyncio.to_thread(log.read_text)
            raise SystemExit(f"the bridge stopped; see {log}:\n{tail[-2000:]}")
        try:
            _, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise SystemExit(f"the bridge did not open port {port}; see {log}")


async def run(args: argparse.Namespace) -> int:
    clock = None if args.clock == "real" else datetime.fromisoformat(args.clock)
    if clock is not None and clock.tzinfo is None:
        raise SystemExit("--clock needs a UTC offset, e.g. 2026-11-23T10:30:00+02:00")
    if args.dir.exists():
        shutil.rmtree(args.dir)  # a fresh sandbox every time
    args.dir.mkdir(parents=True)
    from rota import load_roster

    roster = load_roster(PIKI / "rota.yaml")
    desk = args.desk or on_duty_desk(clock)
    # Serve the roster's own desk domain, and the component beside it (patrons.<domain>).
    domain = roster.all_desks[0].partition("@")[2] if roster.all_desks else "chat.localhost"
    prosody = PrivateProsody(args.dir / "prosody", domain=domain, component=f"patrons.{domain}", tls=True)
    children: list[asyncio.subprocess.Process] = []
    try:
        await prosody.start()
        accounts = {d for lib in roster.libraries.values() for d in lib.desks}
        accounts |= set(roster.coordinators)
        await prosody.register((a, DEMO_PASSWORD) for a in sorted(accounts))
        bridge_cfg, console_cfg = write_configs(args, prosody, clock, desk)
        port = yaml.safe_load(bridge_cfg.read_text())["web"]["port"]
        bridge_log = args.dir / "bridge.log"
        bridge = await start_process(["-m", "bridge", "--config", str(bridge_cfg)], bridge_log)
        children.append(bridge)
        await wait_port(port, bridge, bridge_log)
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
            children.append(
                await start_process(
                    ["-m", "demo.patron", "--url", f"ws://127.0.0.1:{port}/ws"], args.dir / "patron.log"
                )
            )
        if args.no_console or not (ROOT / "console" / "__main__.py").exists():
            print("Press Ctrl+C to stop.", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            return 0
        console = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "console",
            "--config",
            str(console_cfg),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        return await console.wait()
    finally:
        for proc in children:
            if proc.returncode is None:
                proc.terminate()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(proc.wait(), 5)
        await prosody.stop()
        print("Tiski demo stopped.", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.dir = args.dir.resolve()
    try:
        return asyncio.run(run(args))
    except ProsodyMissing as e:
        print(e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
