"""`python -m bridge.faq --faq FILE --lang LANG "question"`: which entry would answer.

`python -m bridge.faq review --faq FILE --database DB`: examples marked at the desk (review.py)."""

from __future__ import annotations

import argparse
import sys
import time

from bridge.faq.errors import FaqError
from bridge.faq.loader import load_faq
from bridge.faq.model import LANGS


def main(argv: list[str] | None = None) -> int:
    """Print the matched entry id (or `none`), then the score; 2 on a bad file."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["review"]:
        from bridge.faq.review import main as review

        return review(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m bridge.faq",
        description="Match a patron's question against faq.yaml. First line: the entry id or "
        "'none' (no confident match); second line: the score.",
    )
    parser.add_argument("--faq", required=True, metavar="FILE", help="the faq.yaml to use")
    parser.add_argument("--lang", default="fi", choices=LANGS, help="the patron's language")
    parser.add_argument("--matcher", default="hybrid", choices=("hybrid", "lexical"), help="default hybrid")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print the runner-up, the threshold and the answer that would be sent",
    )
    parser.add_argument("question", nargs="+", help="the patron's message")
    args = parser.parse_args(argv)
    try:
        faq = load_faq(args.faq, matcher=args.matcher)
    except FaqError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = " ".join(args.question)
    started = time.perf_counter()
    match = faq.match(text, args.lang)
    took = time.perf_counter() - started
    print(match.entry.id if match.confident and match.entry else "none")
    print(f"{match.score:.3f}")
    if args.explain:
        best = match.entry.id if match.entry else "-"
        runner = match.runner_up.id if match.runner_up else "-"
        print(f"best: {best} {match.score:.3f}; runner-up: {runner} {match.runner_up_score:.3f}")
        s = faq.settings
        print(f"threshold {s.threshold}, margin {s.margin}; {took * 1000:.2f} ms")
        if faq.kind == "hybrid":
            print(
                f"by meaning: similarity + {s.semantic_lead_weight} × lead"
                f" + {s.semantic_word_weight} × word score ≥ {s.semantic_threshold}"
            )
        print(f"matcher {faq.kind}; decided by {match.by or '-'}; similarity {match.similarity:.3f}")
        if match.suggestions:
            print("did you mean: " + ", ".join(entry.id for entry in match.suggestions))
        if match.confident and match.entry:
            print("---")
            print(faq.render(match.entry, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
