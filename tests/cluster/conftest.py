"""The cluster on one machine, started once per module by the real `python -m demo.cluster`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demo.process import alive

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningCluster:
    """The `python -m demo.cluster` process and what it wrote to cluster.json."""

    process: subprocess.Popen[bytes]
    directory: Path
    info: dict[str, Any]
    start_seconds: float  # from the command to cluster.json, as a user waits for it

    @property
    def ws_url(self) -> str:
        return self.info["web"].replace("http://", "ws://") + "/ws"

    def pids(self) -> dict[str, int]:
        """Every process the cluster started, by name."""
        info = self.info
        pids = {f"ejabberd {x['node']}": x["pid"] for x in info["xmpp"]}
        pids |= {f"bridge {i}": b["pid"] for i, b in enumerate(info["bridges"], 1)}
        pids |= {"postgres": info["postgres"]["pid"], "haproxy": info["haproxy"]["pid"]}
        if info.get("epmd"):
            pids["epmd"] = info["epmd"]["pid"]
        return pids

    def log(self) -> str:
        return (self.directory / "demo.log").read_text(errors="replace")[-3000:]


def _start(bridges: int = 2, timeout: float = 120.0) -> RunningCluster:
    # /tmp itself (not pytest's private tmp folder): the ejabberd and postgres users enter it
    directory = Path(tempfile.mkdtemp(prefix="tiski-cluster-"))
    directory.chmod(0o711)
    began = time.monotonic()
    with (directory / "demo.log").open("wb") as log:  # the child keeps its own copy
        proc = subprocess.Popen(
            [sys.executable, "-m", "demo.cluster", "--dir", str(directory / "c"), "--bridges", str(bridges)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    summary = directory / "c" / "cluster.json"
    while not summary.exists():
        if proc.poll() is not None or time.monotonic() - began > timeout:
            proc.send_signal(signal.SIGTERM)  # it stops what it started
            proc.wait(60)
            log = (directory / "demo.log").read_text()[-3000:]
            shutil.rmtree(directory, ignore_errors=True)
            raise RuntimeError(f"demo.cluster did not start:\n{log}")
        time.sleep(0.1)
    seconds = time.monotonic() - began
    return RunningCluster(proc, directory, json.loads(summary.read_text()), seconds)


def _stop(cluster: RunningCluster) -> None:
    """SIGTERM if still running; then make sure nothing is left, whatever a test did."""
    if cluster.process.poll() is None:
        cluster.process.send_signal(signal.SIGTERM)
        try:
            cluster.process.wait(60)
        except subprocess.TimeoutExpired:
            cluster.process.kill()
    for pid in cluster.pids().values():
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(cluster.directory, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[RunningCluster]:
    if os.geteuid() != 0:
        pytest.skip("the cluster runs ejabberd as the ejabberd user and PostgreSQL as postgres: needs root")
    running = _start()
    print(f"\ncluster started in {running.start_seconds:.1f} s: {running.info['start_seconds']}")
    try:
        yield running
    finally:
        _stop(running)
