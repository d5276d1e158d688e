"""How long `python -m demo.cluster` takes to start (to cluster.json) and to stop (SIGTERM).

    sudo .venv/bin/python -m bench.cluster_start [--runs 3] [--bridges 2]

Each run starts the real command in a new folder under /var/tmp, waits for DIR/cluster.json,
sends SIGTERM and waits for the command to exit, then checks that none of the processes
cluster.json names is left. Prints each run's figures (with the command's own split into
servers, `join_cluster` and accounts, bridges) and the medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo.process import alive

ROOT = Path(__file__).resolve().parent.parent


def one_run(bridges: int) -> tuple[float, float, dict[str, float]]:
    """(seconds to cluster.json, seconds to stop, the command's own split)."""
    folder = Path(tempfile.mkdtemp(prefix="tiski-cluster-bench-", dir="/var/tmp"))
    folder.chmod(0o711)
    summary = folder / "c" / "cluster.json"
    try:
        began = time.monotonic()
        with (folder / "out.log").open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "demo.cluster", "--dir", str(folder / "c"), "--bridges", str(bridges)],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while not summary.exists():
            if proc.poll() is not None:
                raise SystemExit((folder / "out.log").read_text()[-2000:])
            time.sleep(0.05)
        started = time.monotonic() - began
        info = json.loads(summary.read_text())
        began = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)
        stopped = time.monotonic() - began
        pids = [x["pid"] for x in info["xmpp"]] + [b["pid"] for b in info["bridges"]]
        pids += [info["postgres"]["pid"], info["haproxy"]["pid"], info["epmd"]["pid"]]
        left = [pid for pid in pids if alive(pid)]
        if left:
            raise SystemExit(f"still running after the stop: {left}")
        return started, stopped, info["start_seconds"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cluster_start", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--bridges", type=int, default=2)
    args = p.parse_args(argv)
    starts, stops = [], []
    for run in range(1, args.runs + 1):
        started, stopped, split = one_run(args.bridges)
        starts.append(started)
        stops.append(stopped)
        print(f"run {run}: start {started:.1f} s {split}, stop {stopped:.1f} s", flush=True)
    print(
        f"median of {args.runs} with {args.bridges} bridges: start {statistics.median(starts):.1f} s, "
        f"stop {statistics.median(stops):.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
