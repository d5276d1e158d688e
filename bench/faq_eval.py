"""Evaluate the FAQ matcher on labelled sets: accuracy in scope, answer rate out of scope.

Modes measure generalisation rather than memory of the FAQ's own examples:
  (default)  the FAQ as written, every example and keyword;
  --sparse   as an administrator writes it on the first day: only the first example per
             language of each entry and no keywords; the other examples become questions;
  --cross    examples in one language only, questions in the others (with --sparse: only the
             first example of that language).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bridge.faq import FaqBase, FaqEntry, MatchSettings, load_faq  # noqa: E402
from bridge.faq.base import HYBRID, MATCHERS, from_entries  # noqa: E402
from bridge.faq.embed import default_cache_dir  # noqa: E402
from bridge.faq.model import LANGS  # noqa: E402

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
    suggested_right: int = 0  # in scope, not answered, the right entry among the suggestions
    suggested_out: int = 0  # out of scope, given suggestions at all
    cpu_micros: tuple[float, ...] = ()  # the question's own CPU time (the wall time waits for others too)

    @property
    def accuracy(self) -> float:
        """Share of in-scope questions answered with the right entry."""
        return self.right / self.in_scope if self.in_scope else 0.0

    @property
    def out_rate(self) -> float:
        """Share of out-of-scope questions answered automatically at all."""
        return self.answered_out / self.out_scope if self.out_scope else 0.0

    @property
    def unanswered(self) -> int:
        """In-scope questions sent to a librarian (or to the suggestions)."""
        return self.in_scope - self.right - self.wrong

    def p95_ms(self, cpu: bool = False) -> float:
        """95th percentile of the (wall or CPU) time per question, in milliseconds."""
        micros = sorted(self.cpu_micros if cpu else self.micros)
        return micros[max(0, int(len(micros) * 0.95) - 1)] / 1000 if micros else 0.0


def load_cases(path: Path) -> list[Case]:
    """The labelled questions of an eval file."""
    return [Case(str(c["lang"]), str(c["q"]), str(c["expect"])) for c in yaml.safe_load(path.read_text())]


def run(faq: FaqBase, cases: Sequence[Case]) -> Result:
    """Match every case and count."""
    right = wrong = answered_out = suggested_right = suggested_out = 0
    misses = []
    micros = []
    cpu_micros = []
    for case in cases:
        started, cpu = time.perf_counter(), time.thread_time()
        match = faq.match(case.q, case.lang)
        micros.append((time.perf_counter() - started) * 1e6)
        cpu_micros.append((time.thread_time() - cpu) * 1e6)
        got = match.entry.id if match.confident and match.entry else "none"
        best = match.entry.id if match.entry else "-"
        runner = match.runner_up.id if match.runner_up else "-"
        offered = {entry.id for entry in match.suggestions}
        if case.expect == "none":
            answered_out += got != "none"
            suggested_out += bool(offered)
        elif got == case.expect:
            right += 1
        else:
            wrong += got != "none"
            suggested_right += got == "none" and case.expect in offered
        if got != case.expect:
            misses.append((case, best, match.score, runner, match.runner_up_score))
    in_scope = sum(c.expect != "none" for c in cases)
    return Result(
        in_scope,
        right,
        wrong,
        len(cases) - in_scope,
        answered_out,
        tuple(misses),
        tuple(micros),
        suggested_right,
        suggested_out,
        tuple(cpu_micros),
    )


def report(result: Result, title: str) -> None:
    """Print the figures."""
    print(f"{title}")
    print(
        f"  in scope:     {result.right}/{result.in_scope} right = {result.accuracy:.1%}"
        f"  (wrong answers sent: {result.wrong}, sent to queue: {result.unanswered})"
    )
    if result.out_scope:
        print(f"  out of scope: {result.answered_out}/{result.out_scope} answered = {result.out_rate:.1%}")
    print(
        f"  suggestions:  right entry offered for {result.suggested_right}/{result.unanswered} unanswered"
        f" in scope; {result.suggested_out}/{result.out_scope} out of scope got some"
    )
    micros = sorted(result.micros)
    if micros:
        median = statistics.median(micros) / 1000
        cpu = statistics.median(result.cpu_micros) / 1000 if result.cpu_micros else 0.0
        print(
            f"  time per question: median {median:.2f} ms, p95 {result.p95_ms():.2f} ms wall;"
            f" CPU median {cpu:.2f} ms, p95 {result.p95_ms(cpu=True):.2f} ms"
        )


def sparse(entry: FaqEntry) -> FaqEntry:
    """The entry as written on the first day: its first example per language, no keywords."""
    return replace(entry, questions={lang: qs[:1] for lang, qs in entry.questions.items() if qs}, keywords={})


def only_lang(entry: FaqEntry, lang: str) -> FaqEntry:
    """The entry with the examples and keywords of one language only."""
    return replace(
        entry,
        questions={lang: entry.questions[lang]} if entry.questions.get(lang) else {},
        keywords={lang: entry.keywords[lang]} if entry.keywords.get(lang) else {},
    )


def left_out(full: Sequence[FaqEntry], kept: Sequence[FaqEntry], langs: Sequence[str] = LANGS) -> list[Case]:
    """The examples of `full` that `kept` does not have, as in-scope questions."""
    cases = []
    for whole, part in zip(full, kept, strict=True):
        for lang in langs:
            have = set(part.questions.get(lang, ()))
            cases += [Case(lang, q, whole.id) for q in whole.questions.get(lang, ()) if q not in have]
    return cases


def build(faq: FaqBase, entries: Sequence[FaqEntry], matcher: str, cache: Path | None) -> FaqBase:
    """A FAQ of these entries with the file's settings."""
    return from_entries(entries, faq.settings, faq.source, matcher, cache)


def sweep(faq: FaqBase, cases: list[Case], matcher: str, cache: Path | None) -> None:
    """Accuracy and out-of-scope rate over a grid of thresholds and margins of the word matcher."""
    print("threshold margin  accuracy  out-of-scope  wrong-in-scope")
    for threshold, margin in itertools.product(
        [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70], [0.0, 0.05, 0.10, 0.15, 0.20]
    ):
        settings = dataclasses.replace(faq.settings, threshold=threshold, margin=margin)
        result = run(from_entries(faq.entries, settings, faq.source, matcher, cache), cases)
        print(
            f"  {threshold:.2f}     {margin:.2f}    {result.accuracy:6.1%}    {result.out_rate:6.1%}"
            f"        {result.wrong}"
        )


def runs(args: argparse.Namespace, faq: FaqBase, matcher: str) -> list[tuple[str, FaqBase, list[Case]]]:
    """(title, FAQ, questions) for the chosen mode."""
    sets = [(path.name, load_cases(path)) for path in args.eval or [DEFAULT_EVAL]]
    cache = args.cache
    full = faq.entries
    if args.cross:
        out = []
        for lang in LANGS:
            kept = [only_lang(sparse(e) if args.sparse else e, lang) for e in full]
            kept_faq = build(faq, [e for e in kept if e.questions], matcher, cache)
            others = [g for g in LANGS if g != lang]
            tag = f"examples in {lang}{' (first only)' if args.sparse else ''}"
            out.append((f"{tag}; questions: the other examples", kept_faq, left_out(full, kept, others)))
            for name, cases in sets:
                rest = [c for c in cases if c.lang != lang]
                out.append((f"{tag}; questions: {name} not in {lang}", kept_faq, rest))
        return out
    if args.sparse:
        kept = [sparse(e) for e in full]
        kept_faq = build(faq, kept, matcher, cache)
        out = [("sparse; questions: the other examples", kept_faq, left_out(full, kept))]
        return out + [(f"sparse; questions: {name}", kept_faq, cases) for name, cases in sets]
    whole = build(faq, full, matcher, cache)
    return [(name, whole, cases) for name, cases in sets]


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; exit 1 with --check when a target is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--faq", type=Path, default=DEFAULT_FAQ)
    parser.add_argument("--eval", type=Path, action="append", help=f"default {DEFAULT_EVAL}")
    parser.add_argument("--matcher", choices=MATCHERS, action="append", help=f"default {HYBRID}; repeatable")
    parser.add_argument("--sparse", action="store_true", help="first example per language, no keywords")
    parser.add_argument("--cross", action="store_true", help="examples in one language, questions in others")
    parser.add_argument(
        "--cache", type=Path, default=default_cache_dir(), help="vector cache (default %(default)s)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KNOB=VALUE",
        help="override a setting of the file (repeatable), e.g. --set semantic_threshold=0.92",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--sweep", action="store_true", help="try thresholds and margins")
    parser.add_argument("--rss", action="store_true", help="print this process's peak memory at the end")
    parser.add_argument("--check", action="store_true", help="exit 1 below 90 %% or above 3 %%")
    args = parser.parse_args(argv)
    faq = load_faq(args.faq, matcher="lexical")
    if args.set:
        knobs = dict(item.split("=", 1) for item in args.set)
        faq = from_entries(
            faq.entries,
            replace(faq.settings, **{k: float(v) for k, v in knobs.items()}),
            faq.source,
            "lexical",
        )
    ok = True
    for matcher in args.matcher or [HYBRID]:
        if args.sweep:
            for path in args.eval or [DEFAULT_EVAL]:
                sweep(faq, load_cases(path), matcher, args.cache)
            continue
        for title, built, cases in runs(args, faq, matcher):
            result = run(built, cases)
            settings: MatchSettings = built.settings
            report(
                result,
                f"[{built.kind}] {title}: {len(cases)} questions, {len(built)} entries, "
                f"threshold {settings.threshold}/{settings.semantic_threshold}, "
                f"margin {settings.margin}/{settings.semantic_margin}",
            )
            if args.verbose:
                for case, best, score, runner, second in result.misses:
                    print(
                        f"  MISS [{case.lang}] {case.q!r}: want {case.expect}, "
                        f"best {best} {score:.2f}, runner-up {runner} {second:.2f}"
                    )
            ok = ok and result.accuracy >= 0.90 and result.out_rate <= 0.03
    if args.rss:
        print(f"peak RSS: {_peak_rss_mb():.0f} MB")
    return 0 if ok or not args.check else 1


def _peak_rss_mb() -> float:
    """VmHWM of this process (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
