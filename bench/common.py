"""Shared by the benchmark's processes: the stdin/stdout control channel, the line format, stats.

Each load-generator process reads one JSON command per line on stdin and answers with one
JSON line on stdout. Timestamps are `time.monotonic_ns()`: CLOCK_MONOTONIC is one clock for
every process on a Linux machine, so a send time written by one process can be compared with
a receive time taken by another.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

# A patron's line: "L <sent_ns> <patron> <k>"; the desk's answer: "R <sent_ns> <patron> <k> <reply_ns>".
# The setup line "S" is answered by the owning desk with "W" (the reply that accepts the chat).


def now_ns() -> int:
    return time.monotonic_ns()


def line_text(patron: int, k: int) -> str:
    return f"L {now_ns()} {patron} {k}"


def percentiles(values_ms: Sequence[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max of a list of milliseconds (None when empty)."""
    if not values_ms:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    s = sorted(values_ms)

    def at(q: float) -> float:
        return s[min(len(s) - 1, int(q * len(s)))]

    return {"n": len(s), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": s[-1]}


def use_uvloop() -> None:
    """Load generators run on uvloop when it is installed (the bridge never does)."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def reply(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def serve_commands(handle: Callable[[dict[str, Any]], Awaitable[dict[str, Any] | None]]) -> None:
    """Read commands from stdin until `{"cmd": "quit"}` or EOF; answer each with its result."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        raw = await reader.readline()
        if not raw:
            return
        cmd = json.loads(raw)
        if cmd.get("cmd") == "quit":
            reply({"ok": True})
            return
        try:
            result = await handle(cmd)
        except Exception as e:  # report, keep serving: the orchestrator decides
            result = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        reply(result or {"ok": True})
