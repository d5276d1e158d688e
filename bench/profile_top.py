"""Summarise a py-spy `--format raw` profile (collapsed stacks): where the bridge's time goes.

    .venv/bin/python bench/profile_top.py PROFILE.txt [--top 30]

Prints the functions with the most samples on top of the stack (self) and anywhere in it
(total), as a share of all samples.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("profile", type=Path)
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--match", default="", help="only count stacks containing this text")
    args = p.parse_args()
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or (args.match and args.match not in stack):
            continue
        n = int(count)
        frames = [
            f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].split("/")[-1] + ")" if " (" in f else f
            for f in stack.split(";")
        ]
        samples += n
        own[frames[-1]] += n
        for f in set(frames):
            total[f] += n
    print(f"{samples} samples")
    for title, counter in (("self", own), ("total", total)):
        print(f"\n{title}:")
        for name, n in counter.most_common(args.top):
            print(f"  {100 * n / samples:5.1f}%  {name}")


if __name__ == "__main__":
    main()
