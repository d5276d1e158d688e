"""Micro-benchmark of the bridge's store write path: lines stored one by one and many at once.

    .venv/bin/python -m bench.store_bench [--root TREE] [--lines 5000] [--concurrency 100]
        [--database postgresql://… | --postgres]

`--root` runs the store of another source tree (e.g. an export of an older commit) for
before/after figures. By default the store is SQLite in a temporary file; `--database` names
a PostgreSQL database to use (its tables are created; use an empty one), and `--postgres`
starts a private PostgreSQL server for the run (Debian's `postgresql`, as the tests do).
Prints, for patron lines (which also mark the patron as seen) and desk lines: lines per
second, CPU time per line of this process (and, with `--postgres`, of the PostgreSQL server's
processes), and how many writes failed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


async def _open(database: str | None, folder: Path) -> Any:
    if database:
        from bridge.pgstore import PgStore

        return await PgStore.open(database)
    from bridge.store import Store

    return await Store.open(folder / "t.sqlite3")


async def _write(store: Any, sessions: list[str], ks: range, tag: str, sender: str, touch: bool) -> int:
    """Store lines `ks` round the sessions; the number of writes that failed."""
    from bridge.errors import StoreError

    failed = 0
    for k in ks:
        try:
            await store.add_message(
                sessions[k % len(sessions)], f"{tag}-{k}", sender, f"line {k}", touch=touch
            )
        except StoreError:
            failed += 1
    return failed


def server_cpu(postmaster: int | None) -> float:
    """CPU seconds used so far by a PostgreSQL server's processes (from /proc); 0 if unknown."""
    if postmaster is None:
        return 0.0
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid = int(stat.parent.name)
        if pid == postmaster or int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


async def run(lines: int, concurrency: int, database: str | None, postmaster: int | None = None) -> None:
    logging.disable(logging.ERROR)  # the old store logs every failed write
    from bridge.chat import ChatState

    with tempfile.TemporaryDirectory() as d:
        store = await _open(database, Path(d))
        sessions = [f"p-{i:06d}" for i in range(max(1, concurrency))]
        for s in sessions:
            await store.create_session(s, f"t{s}", "bench", "fi", None, ChatState.ACTIVE)
        for who, sender, touch in (("patron", "patron", True), ("desk", "librarian", False)):
            for label, width in (("one at a time", 1), (f"{concurrency} at once", concurrency)):
                t0, c0, s0 = time.perf_counter(), time.process_time(), server_cpu(postmaster)
                tag = f"{who}-{label}"
                writers = (
                    _write(store, sessions, range(w, lines, width), tag, sender, touch) for w in range(width)
                )
                failed = sum(await asyncio.gather(*writers))
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                server = (
                    f" + {1e6 * (server_cpu(postmaster) - s0) / lines:.0f} µs server" if postmaster else ""
                )
                print(
                    f"{who:>6} {label:>16}: {lines / wall:8.0f} lines/s, {1e6 * cpu / lines:6.0f} µs CPU"
                    f" a line{server}, {failed} failed"
                )
        await store.close()


def _private_database() -> tuple[Any, str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.bridge.pg import PrivatePostgres

    server = PrivatePostgres()
    server.start()
    return server, asyncio.run(server.new_database())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--lines", type=int, default=5000)
    p.add_argument("--concurrency", type=int, default=100)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--database", help="a postgresql:// URL of an empty database (default: SQLite)")
    where.add_argument("--postgres", action="store_true", help="start a private PostgreSQL for the run")
    args = p.parse_args()
    server = None
    database = args.database
    postmaster = None
    if args.postgres:
        server, database = _private_database()
        postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    sys.path.insert(0, str(args.root.resolve()))
    try:
        asyncio.run(run(args.lines, args.concurrency, database, postmaster))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
