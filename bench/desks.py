"""Benchmark worker: M desk seats (the tests' slixmpp desk client) that answer every line at once.

Started by bench/load.py (`python -m bench.desks`); driven over stdin/stdout (bench/common.py).
A seat takes the offers whose session hashes to it (one owner per chat) by answering "W", then
answers each patron line "L …" with "R …" carrying the line's send time and its own.
The same seats serve the direct path, where plain XMPP patrons write to them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import now_ns, serve_commands, use_uvloop  # noqa: E402
from tests.support.desk import DESK_NS, DeskClient  # noqa: E402


class DeskLoad:
    """What the seats saw during one measured run."""

    def __init__(self) -> None:
        self.lines: set[str] = set()
        self.dups = 0
        self.replied = 0
        self.p2d_ms: list[float] = []
        self.kinds: Counter[str] = Counter()

    def result(self) -> dict[str, Any]:
        return {
            "ok": True,
            "received": len(self.lines),
            "dups": self.dups,
            "replied": self.replied,
            "p2d_ms": self.p2d_ms,
            "kinds": dict(self.kinds),
        }


class BenchDesk(DeskClient):
    """A seat that answers instead of queueing what it receives."""

    def __init__(self, index: int, seats: int, book: Desks, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index, self.seats, self.book = index, seats, book

    def _message(self, msg: Any) -> None:
        t = now_ns()
        load = self.book.load
        if msg["type"] == "error":
            load.kinds["error"] += 1
            return
        body = msg["body"]
        if not body.startswith("L "):
            # A line sent as to a plain client (a bridge of a cluster that has not seen this
            # seat's presence): take the label off, as the console does.
            el = msg.xml.find(DESK_NS)
            label = el.get("label") if el is not None else None
            if label and body.startswith(f"[{label}] "):
                body = body[len(label) + 3 :]
                load.kinds["labelled line"] += 1
        if body.startswith("L "):
            _, sent, patron, k = body.split()
            key = f"{patron}.{k}"
            if key in load.lines:
                load.dups += 1
                return
            load.lines.add(key)
            load.p2d_ms.append((t - int(sent)) / 1e6)
            self.make_message(mto=msg["from"], mbody=f"R {sent} {patron} {k} {now_ns()}", mtype="chat").send()
            load.replied += 1
            return
        el = msg.xml.find(DESK_NS)
        kind = el.get("kind", "") if el is not None else "plain"
        load.kinds[kind] += 1
        if kind == "offer" and zlib.crc32(el.get("session", "").encode()) % self.seats == self.index:
            self.make_message(mto=msg["from"], mbody="W", mtype="chat").send()


class Desks:
    """The M seats of the run, one account each."""

    def __init__(self) -> None:
        self.clients: list[BenchDesk] = []
        self.load = DeskLoad()

    async def connect(
        self, jids: list[str], password: str, port: int, component: str, ports: list[int] | None = None
    ) -> dict[str, Any]:
        """Sign the seats in, all at `port` or seat i at `ports[i]` (a cluster's nodes)."""
        t0 = time.monotonic()
        for i, jid in enumerate(jids):
            c = BenchDesk(
                i,
                len(jids),
                self,
                f"{jid}/desk-1",
                password.format(user=jid.split("@")[0]),
                ports[i] if ports else port,
                component,
            )
            await c.start()
            self.clients.append(c)
        return {"ok": True, "connected": len(self.clients), "seconds": time.monotonic() - t0}

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.clients), return_exceptions=True)


async def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    logging.basicConfig(level=logging.ERROR)
    desks = Desks()

    async def handle(cmd: dict[str, Any]) -> dict[str, Any] | None:
        if cmd["cmd"] == "connect":
            return await desks.connect(
                cmd["jids"], cmd["password"], cmd["port"], cmd["component"], cmd.get("ports")
            )
        if cmd["cmd"] == "reset":
            desks.load = DeskLoad()
            return None
        if cmd["cmd"] == "collect":
            out = desks.load.result()
            desks.load = DeskLoad()
            return out
        return {"ok": False, "error": f"unknown command {cmd['cmd']}"}

    try:
        await serve_commands(handle)
    finally:
        await desks.close()


if __name__ == "__main__":
    use_uvloop()
    asyncio.run(main())
