"""Running out of file handles: the limit is raised at start, new sockets are refused before
the limit, and resource errors are logged once per interval with a count, not per accept.

The bridge runs as a child process with a low RLIMIT_NOFILE set for it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import sys
from pathlib import Path

import aiohttp

from tests.support.stack import ROOT, Stack, start_stack


async def _bridge_with_files(s: Stack, soft: int, hard: int) -> None:
    """Restart the stack's bridge as a child process whose file limit is soft/hard."""
    await s.stop_bridge()
    log = (s.directory / "bridge.log").open("ab")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    s.in_process = False
    s.process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bridge",
        "--config",
        str(s.config_path),
        cwd=ROOT,
        stdout=log,
        stderr=log,
        preexec_fn=limit,
    )
    log.close()
    await s._wait_http()


def _soft_limit(pid: int) -> int:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return int(line.split()[3])
    raise AssertionError("no Max open files line")


async def test_the_soft_file_limit_is_raised_to_the_hard_one_at_start(tmp_path: Path) -> None:
    s = await start_stack(tmp_path)
    try:
        await _bridge_with_files(s, 256, 4096)
        assert s.process is not None
        assert _soft_limit(s.process.pid) == 4096
    finally:
        await s.close()


async def test_near_the_limit_new_sockets_are_refused_and_errors_logged_once(tmp_path: Path) -> None:
    s = await start_stack(
        tmp_path, limits={"sockets_per_address": 1000, "sessions_per_minute_per_address": 1000}
    )
    held: list[aiohttp.ClientWebSocketResponse] = []
    raw: list[asyncio.StreamWriter] = []
    try:
        await _bridge_with_files(s, 256, 256)
        statuses: dict[int, int] = {}
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            for _ in range(300):  # idle patrons, as in the attack
                try:
                    held.append(await http.ws_connect(s.ws_url))
                    statuses[101] = statuses.get(101, 0) + 1
                except aiohttp.WSServerHandshakeError as e:
                    statuses[e.status] = statuses.get(e.status, 0) + 1
            assert statuses.get(503, 0) > 0, statuses  # refused politely, not by a dead accept loop
            assert 150 < statuses[101] < 256, statuses
            for _ in range(100):  # then plain connections past the limit: accept() fails
                with contextlib.suppress(OSError):
                    raw.append((await asyncio.open_connection("127.0.0.1", s.web_port))[1])
            await asyncio.sleep(3)  # the accept loop retries every second meanwhile
            for w in raw:
                w.close()
            for ws in held:
                await ws.close()
            held.clear()
            await asyncio.sleep(1.5)
            async with http.get(f"{s.web_url}/health") as r:
                assert r.status == 200  # serving again once the sockets are gone
            ws = await http.ws_connect(s.ws_url)
            await ws.send_json({"type": "hello", "library": "tampere", "lang": "fi"})
            assert (await ws.receive_json(timeout=5))["type"] == "welcome"
            await ws.close()
        log = (tmp_path / "bridge.log").read_text()
        assert "Traceback" not in log
        resource_lines = [line for line in log.splitlines() if "Too many open files" in line]
        assert 1 <= len(resource_lines) <= 2, resource_lines
    finally:
        for ws in held:
            await ws.close()
        await s.close()


def test_resource_errors_are_counted_between_log_lines(caplog) -> None:  # type: ignore[no-untyped-def]
    from bridge.limits import ResourceErrorLog

    errors = ResourceErrorLog(every=3600)
    emfile = OSError(24, "Too many open files")
    for _ in range(1000):
        errors.report("socket.accept() out of system resource", emfile)
    assert len([r for r in caplog.records if r.name == "bridge.limits"]) == 1
    errors.last -= 3600
    errors.report("socket.accept() out of system resource", emfile)
    lines = [r.getMessage() for r in caplog.records if r.name == "bridge.limits"]
    assert len(lines) == 2 and "999 more since the last line" in lines[1]
