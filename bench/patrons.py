"""Benchmark worker: simulated patrons, over the bridge's WebSocket or as plain XMPP clients.

Started by bench/load.py (`python -m bench.patrons --mode ws|xmpp`); driven over stdin/stdout
(bench/common.py). In `ws` mode each patron is the tests' WebSocket patron (hello, then lines
acknowledged by the bridge); in `xmpp` mode each patron is an XMPP account that writes straight
to its desk through Prosody: the same load without the bridge, the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import line_text, now_ns, reply, serve_commands, use_uvloop  # noqa: E402
from tests.support.patron import Patron  # noqa: E402


class Load:
    """Counters and latencies of one measured run."""

    def __init__(self) -> None:
        self.active = False
        self.sent: dict[str, int] = {}  # message id → send time (ns)
        self.acked = 0
        self.errors: Counter[str] = Counter()
        self.replies: set[tuple[int, int]] = set()
        self.dup_replies = 0
        self.ack_ms: list[float] = []
        self.d2p_ms: list[float] = []
        self.rtt_ms: list[float] = []
        self.setup_done: set[int] = set()
        self.setup_sent: dict[int, int] = {}  # patron → when its first line went (ns)
        self.first_ms: list[float] = []  # first line → the desk's answer, per chat

    def on_reply(self, text: str, t: int) -> None:
        """A desk's answer "R <sent_ns> <patron> <k> <reply_ns>" reached its patron."""
        _, sent, patron, k, replied = text.split()
        key = (int(patron), int(k))
        if key in self.replies:
            self.dup_replies += 1
            return
        self.replies.add(key)
        self.d2p_ms.append((t - int(replied)) / 1e6)
        self.rtt_ms.append((t - int(sent)) / 1e6)

    def result(self) -> dict[str, Any]:
        return {
            "ok": True,
            "sent": len(self.sent),
            "acked": self.acked,
            "errors": dict(self.errors),
            "replies": len(self.replies),
            "dup_replies": self.dup_replies,
            "ack_ms": self.ack_ms,
            "d2p_ms": self.d2p_ms,
            "rtt_ms": self.rtt_ms,
        }


class WsPatrons:
    """N widget connections to the bridge."""

    def __init__(self, url: str, library: str) -> None:
        self.url, self.library = url, library
        self.patrons: list[Patron] = []
        self.ids: list[int] = []
        self.load = Load()
        self.next_k = 0
        self.readers: list[asyncio.Task[None]] = []

    async def connect(self, first: int, count: int, concurrency: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()

        async def one(i: int) -> None:
            async with gate:
                p = Patron(self.url, self.library, "fi", page="https://bench.example/")
                try:
                    await p.connect()
                    await p.hello()
                except Exception as e:
                    codes = [f.get("code") for f in p.frames if f.get("type") == "error"]
                    failures[f"error {codes[0]}" if codes else type(e).__name__] += 1
                    await p.close()
                    return
                self.patrons.append(p)
                self.ids.append(i)

        t0 = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(first, first + count)))
        for idx, p in zip(self.ids, self.patrons, strict=True):
            self.readers.append(asyncio.create_task(self.read(idx, p)))
        return {
            "ok": True,
            "connected": len(self.patrons),
            "failed": dict(failures),
            "seconds": time.monotonic() - t0,
        }

    async def read(self, idx: int, p: Patron) -> None:
        assert p.ws is not None
        load_of = lambda: self.load  # noqa: E731 - the run may replace the Load
        async for msg in p.ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            t = now_ns()
            frame = json.loads(msg.data)
            kind = frame.get("type")
            load = load_of()
            if kind == "ack":
                sent = load.sent.get(frame["id"])
                if sent is not None:
                    load.acked += 1
                    load.ack_ms.append((t - sent) / 1e6)
            elif kind == "message" and frame.get("from") == "librarian":
                text = frame.get("text", "")
                if text.startswith("R "):
                    load.on_reply(text, t)
                elif text == "W" and idx not in load.setup_done:
                    load.setup_done.add(idx)
                    if idx in load.setup_sent:
                        load.first_ms.append((t - load.setup_sent[idx]) / 1e6)
            elif kind == "error":
                load.errors[frame.get("code", "?")] += 1

    async def send(self, n: int, k: int) -> None:
        p, idx = self.patrons[n], self.ids[n]
        msg_id = f"{idx}.{k}"
        text = line_text(idx, k)
        self.load.sent[msg_id] = int(text.split()[1])
        assert p.ws is not None
        await p.ws.send_str(f'{{"type":"message","id":"{msg_id}","text":"{text}"}}')

    async def setup(self, rate: float, timeout: float, window: int = 16) -> dict[str, Any]:
        """Each patron writes a first line; its desk's answer makes the chat active.

        At most `window` chats wait for their desk at a time: the bridge tells every waiting
        patron its queue position on each accept, so a long queue costs it O(queue × chats).
        """
        t0 = time.monotonic()
        deadline = t0 + timeout
        for n, p in enumerate(self.patrons):
            assert p.ws is not None
            while n - len(self.load.setup_done) >= window and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
            self.load.setup_sent[self.ids[n]] = now_ns()
            await p.ws.send_str(f'{{"type":"message","id":"s{self.ids[n]}","text":"S"}}')
            await asyncio.sleep(max(0.0, t0 + (n + 1) / rate - time.monotonic()))
            deadline = time.monotonic() + timeout
        while len(self.load.setup_done) < len(self.patrons) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        done = len(self.load.setup_done)
        errors = dict(self.load.errors)
        first_ms = self.load.first_ms
        self.load = Load()
        seconds = time.monotonic() - t0
        return {"ok": True, "active": done, "errors": errors, "seconds": seconds, "first_ms": first_ms}

    async def close(self) -> None:
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*(p.close() for p in self.patrons), return_exceptions=True)


class XmppPatrons:
    """N plain XMPP clients, each writing straight to one desk seat (no bridge)."""

    def __init__(self, port: int, domain: str, desks: list[str]) -> None:
        self.port, self.domain, self.desks = port, domain, desks
        self.clients: list[Any] = []
        self.ids: list[int] = []
        self.load = Load()
        self.next_k = 0

    async def connect(self, first: int, count: int, concurrency: int) -> dict[str, Any]:
        from slixmpp import ClientXMPP

        gate = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()
        owner = self

        class XmppPatron(ClientXMPP):
            def __init__(self, jid: str, password: str) -> None:
                super().__init__(
                    jid, password, plugin_config={"feature_mechanisms": {"unencrypted_plain": True}}
                )
                self.enable_plaintext, self.enable_direct_tls, self.enable_starttls = True, False, False
                self.ready = asyncio.Event()
                self.add_event_handler("session_start", self._start)
                self.add_event_handler("message", self._message)

            def _start(self, _event: Any) -> None:
                self.send_presence()
                self.ready.set()

            def _message(self, msg: Any) -> None:
                t = now_ns()
                body = msg["body"]
                if body.startswith("R "):
                    owner.load.on_reply(body, t)

        async def one(i: int) -> None:
            async with gate:
                c = XmppPatron(f"p{i}@{self.domain}/widget", f"pw-p{i}")
                c.connect("127.0.0.1", self.port)
                try:
                    await asyncio.wait_for(c.ready.wait(), 60)
                except Exception as e:
                    failures[type(e).__name__] += 1
                    c.disconnect()
                    return
                self.clients.append(c)
                self.ids.append(i)

        t0 = time.monotonic()
        await asyncio.gather(*(one(i) for i in range(first, first + count)))
        return {
            "ok": True,
            "connected": len(self.clients),
            "failed": dict(failures),
            "seconds": time.monotonic() - t0,
        }

    async def send(self, n: int, k: int) -> None:
        c, idx = self.clients[n], self.ids[n]
        text = line_text(idx, k)
        self.load.sent[f"{idx}.{k}"] = int(text.split()[1])
        c.make_message(mto=self.desks[idx % len(self.desks)], mbody=text, mtype="chat").send()

    async def setup(self, rate: float, timeout: float, window: int = 16) -> dict[str, Any]:
        return {"ok": True, "active": len(self.clients), "errors": {}, "seconds": 0.0}

    async def close(self) -> None:
        for c in self.clients:
            c.disconnect()
        await asyncio.sleep(0.5)


async def run_load(
    patrons: WsPatrons | XmppPatrons, rate: float, duration: float, drain: float, seed: int
) -> dict[str, Any]:
    """Send `rate` lines a second in all, round-robin over the patrons, for `duration` s."""
    patrons.load = load = Load()
    count = len(patrons.ids)
    base = patrons.next_k  # line numbers go on across runs: a repeated id would be deduplicated
    if count == 0:
        return load.result()
    order = list(range(count))
    random.Random(seed).shuffle(order)
    sent = 0
    t0 = time.monotonic()
    late_ticks = 0
    while True:
        elapsed = time.monotonic() - t0
        if elapsed >= duration:
            break
        due = int(elapsed * rate) + 1
        if due - sent > rate * 0.05 + 2:
            late_ticks += 1  # the generator fell behind its own schedule by > 50 ms
        while sent < due:
            await patrons.send(order[sent % count], base + sent // count)
            sent += 1
        await asyncio.sleep(max(0.0, (due / rate) - (time.monotonic() - t0)))
    send_seconds = time.monotonic() - t0
    patrons.next_k = base + sent // count + 1
    deadline = time.monotonic() + drain
    while len(load.replies) < len(load.sent) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    out = load.result()
    out.update(
        send_seconds=send_seconds, drain_seconds=time.monotonic() - t0 - send_seconds, late_ticks=late_ticks
    )
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=["ws", "xmpp"], required=True)
    parser.add_argument("--url", help="the bridge's WebSocket URL (ws mode)")
    parser.add_argument("--library", default="bench")
    parser.add_argument("--port", type=int, help="Prosody's c2s port (xmpp mode)")
    parser.add_argument("--domain", default="chat.localhost")
    parser.add_argument("--desks", default="", help="comma-separated desk seats (xmpp mode)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    patrons: WsPatrons | XmppPatrons
    if args.mode == "ws":
        patrons = WsPatrons(args.url, args.library)
    else:
        patrons = XmppPatrons(args.port, args.domain, args.desks.split(","))

    async def handle(cmd: dict[str, Any]) -> dict[str, Any] | None:
        if cmd["cmd"] == "connect":
            return await patrons.connect(cmd["first"], cmd["count"], cmd.get("concurrency", 50))
        if cmd["cmd"] == "setup":
            return await patrons.setup(cmd["rate"], cmd["timeout"], cmd.get("window", 16))
        if cmd["cmd"] == "run":
            return await run_load(patrons, cmd["rate"], cmd["duration"], cmd["drain"], cmd["seed"])
        return {"ok": False, "error": f"unknown command {cmd['cmd']}"}

    try:
        await serve_commands(handle)
    finally:
        await patrons.close()


if __name__ == "__main__":
    use_uvloop()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        reply({"ok": False, "error": "interrupted"})
