"""Evaluate the FAQ matcher on a labelled set: accuracy in scope, answer rate out of scope."""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bridge.faq import FaqBase, MatchSettings, load_faq  # noqa: E402
from bridge.faq.base import from_entries  # noqa: E402

DEFAULT_FAQ = ROOT / "examples" / "piki" / "faq.yaml"
DEFAULT_EVAL = ROOT / "tests" / "faq" / "eval.yaml"


@dataclass(frozen=True)
class Case:
    """One labelled question."""

    lang: str
    q: str
    expect: str  # an entry id, or "none"


@dataclass(frozen=True)
class Result:
    """Figures of one run over the set."""

    in_scope: int
    right: int
    wrong: int  # answered automatically with the wrong entry
    out_scope: int
    answered_out: int
    misses: tuple[tuple[Case, str, float, str, float], ...]
    micros: tuple[float, ...]

    @property
    def accuracy(self) -> float:
        """Share of in-scope questions answered with the right entry."""
        return self.right / self.in_scope if self.in_scope else 0.0

    @property
    def out_rate(self) -> float:
        """Share of out-of-scope questions answered automatically at all."""
        return self.answered_out / self.out_scope if self.out_scope else 0.0


def load_cases(path: Path) -> list[Case]:
    """The labelled questions of an eval file."""
    return [Case(str(c["lang"]), str(c["q"]), str(c["expect"])) for c in yaml.safe_load(path.read_text())]


def run(faq: FaqBase, cases: list[Case]) -> Result:
    """Match every case and count."""
    right = wrong = answered_out = 0
    misses = []
    micros = []
    for case in cases:
        started = time.perf_counter()
        match = faq.match(case.q, case.lang)
        micros.append((time.perf_counter() - started) * 1e6)
        got = match.entry.id if match.confident and match.entry else "none"
        best = match.entry.id if match.entry else "-"
        runner = match.runner_up.id if match.runner_up else "-"
        if case.expect == "none":
            answered_out += got != "none"
        elif got == case.expect:
            right += 1
        else:
            wrong += got != "none"
        if got != case.expect:
            misses.append((case, best, match.score, runner, match.runner_up_score))
    in_scope = sum(c.expect != "none" for c in cases)
    return Result(in_scope, right, wrong, len(cases) - in_scope, answered_out, tuple(misses), tuple(micros))


def report(result: Result, title: str) -> None:
    """Print the figures."""
    print(f"{title}")
    print(
        f"  in scope:     {result.right}/{result.in_scope} right = {result.accuracy:.1%}"
        f"  (wrong answers sent: {result.wrong}, sent to queue: "
        f"{result.in_scope - result.right - result.wrong})"
    )
    print(f"  out of scope: {result.answered_out}/{result.out_scope} answered = {result.out_rate:.1%}")
    micros = sorted(result.micros)
    p99 = micros[int(len(micros) * 0.99) - 1] if micros else 0.0
    print(f"  time per question: median {statistics.median(micros):.0f} µs, p99 {p99:.0f} µs")


def sweep(faq: FaqBase, cases: list[Case]) -> None:
    """Accuracy and out-of-scope rate over a grid of thresholds and margins."""
    print("threshold margin  accuracy  out-of-scope  wrong-in-scope")
    for threshold, margin in itertools.product(
        [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70], [0.0, 0.05, 0.10, 0.15, 0.20]
    ):
        settings = replace(faq.settings, threshold=threshold, margin=margin)
        result = run(from_entries(faq.entries, settings), cases)
        print(
            f"  {threshold:.2f}     {margin:.2f}    {result.accuracy:6.1%}    {result.out_rate:6.1%}"
            f"        {result.wrong}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 1 with --check when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faq", type=Path, default=DEFAULT_FAQ)
    parser.add_argument("--eval", type=Path, action="append", help=f"default {DEFAULT_EVAL}")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--sweep", action="store_true", help="try thresholds and margins")
    parser.add_argument("--check", action="store_true", help="exit 1 below 90 %% or above 3 %%")
    args = parser.parse_args(argv)
    faq = load_faq(args.faq)
    ok = True
    for path in args.eval or [DEFAULT_EVAL]:
        cases = load_cases(path)
        if args.sweep:
            sweep(faq, cases)
            continue
        result = run(faq, cases)
        settings: MatchSettings = faq.settings
        report(
            result,
            f"{path.name}: {len(cases)} questions, {len(faq)} entries, "
            f"threshold {settings.threshold}, margin {settings.margin}",
        )
        if args.verbose:
            for case, best, score, runner, second in result.misses:
                print(
                    f"  MISS [{case.lang}] {case.q!r}: want {case.expect}, "
                    f"best {best} {score:.2f}, runner-up {runner} {second:.2f}"
                )
        ok = ok and result.accuracy >= 0.90 and result.out_rate <= 0.03
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
