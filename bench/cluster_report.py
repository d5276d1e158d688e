"""One Markdown table from `python -m bench.load … --out FILE.json` runs (one bridge, or `--cluster N`).

    .venv/bin/python -m bench.cluster_report bench/results/cluster/n200-r50-*.json

A column per run: throughput, round trip p50/p95/p99, lost lines and CPU milliseconds per
patron line (its answer included) per process kind. See docs/performance.md, "Cluster".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

KINDS = ("bridges", "prosody", "ejabberd", "postgresql", "haproxy", "desks", "patrons", "other processes")


def kind(name: str) -> str:
    """The process kind of a CPU entry ("bridge 2" and "bridge" → "bridges")."""
    for prefix, k in (("bridge", "bridges"), ("ejabberd", "ejabberd"), ("patrons", "patrons")):
        if name.startswith(prefix):
            return k
    return name


def column(report: dict[str, Any]) -> tuple[str, dict[str, str]]:
    params = report["params"]
    step = report["steps"][0]
    n = params.get("cluster")
    name = f"cluster, {n} bridge{'s' if n > 1 else ''}" if n else "1 bridge, SQLite"
    lines = step["sent"] or 1
    cpu: dict[str, float] = {}
    for proc, seconds in step["cpu"].items():
        cpu[kind(proc)] = cpu.get(kind(proc), 0.0) + seconds
    rtt = step["rtt"]
    out = {
        "patron lines sent / answered": f"{step['sent']} / {step['replies']}",
        "lost lines": str(step["lost"]),
        "delivered messages/s (both ways)": f"{step['msgs_per_second']:.0f}",
        **{f"round trip {q} (ms)": f"{rtt[q]:.1f}" for q in ("p50", "p95", "p99")},
        "patron→desk / desk→patron p50 (ms)": f"{step['p2d']['p50']:.1f} / {step['d2p']['p50']:.1f}",
    }
    service = 0.0
    for k in KINDS:
        if k in cpu:
            out[f"CPU ms per line: {k}"] = f"{1000 * cpu[k] / lines:.2f}"
            if k in ("bridges", "prosody", "ejabberd", "postgresql", "haproxy"):
                service += cpu[k]
    out["CPU ms per line: the service (bridges + XMPP + database + proxy)"] = f"{1000 * service / lines:.2f}"
    return name, out


def table(paths: list[Path]) -> str:
    cols = [column(json.loads(p.read_text())) for p in paths]
    labels: list[str] = []
    for _, values in cols:
        labels += [label for label in values if label not in labels]
    cpu = [f"CPU ms per line: {k}" for k in KINDS]
    labels.sort(key=lambda label: (1 + cpu.index(label)) if label in cpu else 99 if "CPU" in label else 0)
    width = max(len(label) for label in labels)
    out = [
        f"| {'':{width}} | " + " | ".join(name for name, _ in cols) + " |",
        f"|{'-' * (width + 2)}|" + "|".join("-" * (len(name) + 2) for name, _ in cols) + "|",
    ]
    for label in labels:
        out.append(f"| {label:{width}} | " + " | ".join(v.get(label, "-") for _, v in cols) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cluster_report", description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", type=Path, help="JSON files written by bench.load --out")
    args = p.parse_args(argv)
    print(table(args.files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
