"""What the bus between bridges adds to a desk's line on its way to the patron.

    .venv/bin/python -m bench.cluster_bus --lines 300

Two real bridges in this process share one private PostgreSQL and one private Prosody (each
with a component domain of its own, as in tests/bridge/cluster/). The patron's socket is on
bridge A; one desk seat owns the chat and writes its lines alternately through bridge A (the
line is handed over in the process) and through bridge B (the line reaches A by NOTIFY, and A
reads it back from the store). Prints the desk-to-patron time of both. Not part of CI.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentiles  # noqa: E402
from tests.bridge.cluster.bridges import start_cluster  # noqa: E402
from tests.bridge.pg import PrivatePostgres  # noqa: E402

DESK = "tampere@chat.localhost"


async def run(lines: int) -> None:
    server = PrivatePostgres()
    server.start()
    cluster = None
    try:
        dsn = await server.new_database()
        cluster = await start_cluster(Path(tempfile.mkdtemp(prefix="tiski-bus-bench-")), dsn)
        await cluster.start("a")
        await cluster.start("b")
        desk = await cluster.desk(DESK, via="b")
        patron = await cluster.patron(via="a")
        await patron.say("Hei")
        await patron.recv_type("state", state="queued")
        sid = str((await cluster.sql("SELECT id FROM sessions"))[0]["id"])
        desk.say(cluster.jid("b", sid), "first")
        await patron.recv_type("message", text="first")
        took: dict[str, list[float]] = {"a": [], "b": []}
        for i in range(lines):
            via = "ab"[i % 2]
            text = f"line {i}"
            t0 = time.perf_counter()
            desk.say(cluster.jid(via, sid), text)
            await patron.recv_type("message", text=text)
            took[via].append((time.perf_counter() - t0) * 1000)
        for via, what in (("a", "through bridge A (same bridge)"), ("b", "through bridge B (by NOTIFY)")):
            p = percentiles(took[via])
            print(f"desk→patron {what}: p50 {p['p50']:.2f} ms, p95 {p['p95']:.2f} ms ({p['n']} lines)")
    finally:
        if cluster is not None:
            await cluster.close()
        server.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cluster_bus", description=__doc__)
    p.add_argument("--lines", type=int, default=300, help="desk lines in all, half through each bridge")
    args = p.parse_args(argv)
    asyncio.run(run(args.lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
