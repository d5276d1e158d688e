"""`python -m bridge.faq review --faq F --database D`: examples marked at the desk, into faq.yaml."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bridge.faq.errors import FaqError
from bridge.faq.learn import Suggestion, open_suggestions, set_status
from bridge.faq.yamledit import add_example


def main(argv: list[str], ask: Callable[[str], str] = input) -> int:
    """List the suggestions; add the accepted ones to the FAQ file. 2 on a bad file."""
    parser = argparse.ArgumentParser(
        prog="python -m bridge.faq review",
        description="Review patrons' questions that librarians marked with /faq ENTRY. Without "
        "--accept/--reject/--list, asks about each one (y: add to the FAQ, n: reject, s: skip, q: quit).",
    )
    parser.add_argument("--faq", required=True, type=Path, metavar="FILE", help="the faq.yaml to extend")
    parser.add_argument("--database", required=True, type=Path, metavar="FILE", help="the bridge's database")
    parser.add_argument("--list", action="store_true", help="only list the open suggestions")
    parser.add_argument("--accept", type=int, nargs="*", default=[], metavar="N", help="add these")
    parser.add_argument("--reject", type=int, nargs="*", default=[], metavar="N", help="reject these")
    args = parser.parse_args(argv)
    try:
        text = args.faq.read_text(encoding="utf-8")
        pending = open_suggestions(args.database)
    except (OSError, FaqError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not pending:
        print("no suggestions to review")
        return 0
    for s in pending:
        print(f"{s.seq}: [{s.lang}] {s.question!r} -> {s.entry_id}  ({s.ts[:10]}, {s.seat or '-'})")
    if args.list:
        return 0
    decided = args.accept or args.reject
    accepted, rejected = (
        ([s for s in pending if s.seq in args.accept], [s for s in pending if s.seq in args.reject])
        if decided
        else _ask(pending, ask)
    )
    added: list[Suggestion] = []
    for s in accepted:
        try:
            text = add_example(text, s.entry_id, s.lang, s.question)
            added.append(s)
        except FaqError as exc:
            print(f"{s.seq}: not added: {exc}", file=sys.stderr)
    if added:
        tmp = args.faq.with_name(f".{args.faq.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.faq)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    set_status(args.database, [s.seq for s in added], "accepted", now)
    set_status(args.database, [s.seq for s in rejected], "rejected", now)
    print(f"added {len(added)} example(s) to {args.faq}; rejected {len(rejected)}")
    return 0 if len(added) == len(accepted) else 1


def _ask(pending: list[Suggestion], ask: Callable[[str], str]) -> tuple[list[Suggestion], list[Suggestion]]:
    accepted: list[Suggestion] = []
    rejected: list[Suggestion] = []
    for s in pending:
        try:
            answer = (
                ask(f"{s.seq}: add {s.question!r} to {s.entry_id} ({s.lang})? [y/n/s/q] ").strip().lower()
            )
        except EOFError:
            break
        if answer.startswith("q"):
            break
        if answer.startswith("y"):
            accepted.append(s)
        elif answer.startswith("n"):
            rejected.append(s)
    return accepted, rejected
