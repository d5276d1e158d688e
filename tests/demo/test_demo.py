"""`python -m demo` (./tiski demo) as a patron's trainer runs it: it says "running" only when the
bridge answers, refuses a taken port, and leaves nothing behind when its terminal goes away."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from demo.prosody import free_port

pytestmark = pytest.mark.prosody

ROOT = Path(__file__).resolve().parents[2]


def processes_mentioning(text: str) -> dict[int, str]:
    """Live processes whose command line contains `text` (the demo's own folder)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if text in cmdline and "State:\tZ" not in status:
            found[int(entry.name)] = cmdline
    return found


@dataclass
class Demo:
    """One `python -m demo --no-console` in a session of its own, as a terminal would start it."""

    process: asyncio.subprocess.Process
    directory: Path
    port: int
    output: list[str]

    async def line_with(self, text: str, timeout: float = 60) -> str | None:
        """Read output until a line contains `text`; None if the demo exits first."""
        assert self.process.stdout is not None

        async def read() -> str | None:
            while True:
                raw = await self.process.stdout.readline()  # type: ignore[union-attr]
                if not raw:
                    return None
                line = raw.decode(errors="replace")
                self.output.append(line)
                if text in line:
                    return line

        return await asyncio.wait_for(read(), timeout)

    async def rest(self, timeout: float = 30) -> int:
        """Wait for the demo to exit, keeping its remaining output; its exit code."""
        assert self.process.stdout is not None
        rest = await asyncio.wait_for(self.process.stdout.read(), timeout)
        self.output.append(rest.decode(errors="replace"))
        return await asyncio.wait_for(self.process.wait(), timeout)


@pytest.fixture
async def start_demo(tmp_path: Path) -> AsyncIterator:
    started: list[Demo] = []

    async def start(port: int) -> Demo:
        directory = tmp_path / f"demo-{port}"
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "demo",
            "--no-console",
            "--port",
            str(port),
            "--dir",
            str(directory),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        demo = Demo(proc, directory, port, [])
        started.append(demo)
        return demo

    yield start
    for demo in started:  # whatever a failing test left: only what this test started
        if demo.process.returncode is None:
            demo.process.kill()
            await demo.process.wait()
        for pid in processes_mentioning(str(demo.directory)):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


async def test_running_means_answering_and_sighup_leaves_nothing_behind(start_demo) -> None:
    port = free_port()
    demo = await start_demo(port)
    assert await demo.line_with("running") is not None, "".join(demo.output)
    # "running" is printed only once the bridge answers its health check: no retry needed.
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/health") as r:
        assert r.status == 200
        assert (await r.json())["ok"] is True
    children = processes_mentioning(str(demo.directory))
    assert len(children) >= 2, children  # Prosody and the bridge, each with a config in the folder

    demo.process.send_signal(signal.SIGHUP)  # the terminal running the demo was closed
    code = await demo.rest()
    assert code == 0, "".join(demo.output)
    assert "stopped" in "".join(demo.output)
    assert processes_mentioning(str(demo.directory)) == {}
    with socket.socket() as s:  # the port is free again for the next demo
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


async def test_sigterm_stops_everything(start_demo) -> None:
    demo = await start_demo(free_port())
    assert await demo.line_with("running") is not None, "".join(demo.output)
    assert processes_mentioning(str(demo.directory))
    demo.process.terminate()
    assert await demo.rest() == 0
    assert processes_mentioning(str(demo.directory)) == {}


async def test_refuses_a_taken_port_and_says_why(start_demo) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        demo = await start_demo(port)
        code = await demo.rest(timeout=60)
    out = "".join(demo.output)
    assert code != 0
    assert "demo is running" not in out
    assert f"port {port} is in use" in out
    assert processes_mentioning(str(demo.directory)) == {}
