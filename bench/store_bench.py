"""Micro-benchmark of the bridge's store write path: patron lines stored one by one and at once.

    .venv/bin/python bench/store_bench.py [--root TREE] [--lines 5000] [--concurrency 100]

`--root` runs the store of another source tree (e.g. an export of an older commit) for
before/after figures. Prints lines per second, CPU seconds, and how many writes failed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path


async def run(lines: int, concurrency: int) -> None:
    logging.disable(logging.ERROR)  # the old store logs every failed write
    from bridge.chat import ChatState
    from bridge.errors import StoreError
    from bridge.store import Store

    with tempfile.TemporaryDirectory() as d:
        store = await Store.open(Path(d) / "t.sqlite3")
        sessions = [f"p-{i:06d}" for i in range(max(1, concurrency))]
        for s in sessions:
            await store.create_session(s, f"t{s}", "bench", "fi", None, ChatState.ACTIVE)
        for label, width in (("one at a time", 1), (f"{concurrency} at once", concurrency)):
            failed = 0
            t0, c0 = time.perf_counter(), time.process_time()

            async def writer(w: int, width: int = width, label: str = label) -> None:
                nonlocal failed
                for k in range(w, lines, width):
                    try:
                        await store.add_message(
                            sessions[k % len(sessions)], f"{label}-{k}", "patron", f"line {k}", touch=True
                        )
                    except StoreError:
                        failed += 1

            await asyncio.gather(*(writer(w) for w in range(width)))
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(
                f"{label:>16}: {lines / wall:8.0f} lines/s, {1e6 * cpu / lines:6.0f} µs CPU a line, "
                f"{failed} failed"
            )
        await store.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--lines", type=int, default=5000)
    p.add_argument("--concurrency", type=int, default=100)
    args = p.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    asyncio.run(run(args.lines, args.concurrency))


if __name__ == "__main__":
    main()
