"""The rota command line: check, show, now, plan and accounts."""

from __future__ import annotations

import argparse
import secrets
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from rota.decide import chain, is_open, next_opening, on_duty
from rota.errors import PlanError, Problem, RosterError
from rota.grid import grid_table, render_markdown, render_text
from rota.load import check_roster, load_roster
from rota.model import Roster
from rota.plan import Calendar, Plan, calendar, compare, make_plan
from rota.report import comparison_lines, plan_lines, plan_yaml, show_lines
from rota.text import when_text
from rota.weights import load_weights


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m rota`."""
    parser = argparse.ArgumentParser(prog="python -m rota", description="Tiski duty roster tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="validate a roster file (exit 0 if valid, 1 if not)")
    check.add_argument("file", type=Path)
    show = sub.add_parser("show", help="print the weekly grid of a roster")
    show.add_argument("file", type=Path)
    show.add_argument("--expand", action="store_true", help="list the member libraries of pools")
    show.add_argument("--ids", action="store_true", help="print ids instead of names")
    show.add_argument("--markdown", action="store_true", help="print the grid as a Markdown table")
    now = sub.add_parser("now", help="who is on duty now (or at --at), and the fallback chain")
    now.add_argument("file", type=Path)
    now.add_argument(
        "--at",
        type=_instant,
        metavar="ISO-DATETIME",
        help="e.g. 2026-03-03T14:30+02:00 or …Z; without an offset: roster time",
    )
    now.add_argument("--desks", action="store_true", help="list the desk accounts of each target")
    plan = sub.add_parser("plan", help="fair shares and a proposed grid from library weights")
    plan.add_argument("weights", type=Path, help="YAML file of library shares (see docs/rota.md)")
    plan.add_argument(
        "--slot-hours",
        type=_positive(float),
        metavar="H",
        help="length of a shift in hours (default: from the file, or 2)",
    )
    plan.add_argument(
        "--weeks", type=_positive(int), metavar="N", help="weeks a year (default: from the file, or 52)"
    )
    plan.add_argument(
        "--check",
        type=Path,
        metavar="ROSTER",
        help="compare a roster's hours per library per year with the fair shares",
    )
    plan.add_argument(
        "--tolerance",
        type=float,
        metavar="HOURS",
        help="with --check: exit 1 if a library is off by more hours a year",
    )
    plan.add_argument(
        "--roster",
        type=Path,
        metavar="ROSTER",
        help="the roster in use (default: `roster:` of the weights file, or --check's): "
        "its pool ids are not reused for other members, its closed days and holidays are "
        "left out of the hours a year",
    )
    plan.add_argument(
        "--year",
        type=_positive(int),
        metavar="YYYY",
        help="the year whose calendar counts (default: this year)",
    )
    plan.add_argument("--expand", action="store_true", help="list pool members in the grid")
    plan.add_argument(
        "--yaml", action="store_true", help="print the proposed pools and shifts as roster YAML"
    )
    accounts = sub.add_parser(
        "accounts",
        help="the `prosodyctl register` lines for every desk account and coordinator of a roster",
    )
    accounts.add_argument("file", type=Path)
    accounts.add_argument(
        "--run", action="store_true", help="run them, then print each account with its new password"
    )
    accounts.add_argument(
        "--only", action="append", metavar="JID", help="only this account (repeatable), e.g. a new desk"
    )
    accounts.add_argument(
        "--prosodyctl",
        default="prosodyctl",
        metavar="COMMAND",
        help='the command to run (default: prosodyctl; e.g. "prosodyctl --config FILE")',
    )
    return parser


def _positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
        return value

    return parse


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {text!r}") from None


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a rota command; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.file, out)
        if args.command == "plan":
            return _plan(args, out)
        if args.command == "accounts":
            return _accounts(args, out, err)
        roster = load_roster(args.file)
    except (RosterError, PlanError) as exc:
        for problem in exc.problems:
            print(problem, file=err)
        return 1
    _warn(roster.warnings, err)
    if args.command == "show":
        table = grid_table(roster, expand=args.expand, ids=args.ids)
        grid = render_markdown(table) if args.markdown else render_text(table)
        print("\n".join(show_lines(roster, grid)), file=out)
        return 0
    return _now(roster, args.at or datetime.now().astimezone(), args.desks, out)


def _warn(problems: tuple[Problem, ...] | list[Problem], err: TextIO) -> None:
    for problem in problems:
        print(problem, file=err)


def _check(path: Path, out: TextIO) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(Problem(f"cannot read the roster: {exc}", str(path)), file=out)
        return 1
    roster, problems = check_roster(text, str(path))
    for problem in problems:
        print(problem, file=out)
    if roster is None:
        errors = sum(1 for p in problems if not p.warning)
        print(f"{path}: {errors} problem{'s' if errors != 1 else ''}", file=out)
        return 1
    slots = sum(len(roster.shifts_on(d)) for d in range(7))
    print(
        f"{path}: OK — {len(roster.libraries)} libraries, {len(roster.pools)} pools, "
        f"{len(roster.all_desks)} desks, {slots} shifts a week",
        file=out,
    )
    return 0


def _now(roster: Roster, at: datetime, desks: bool, out: TextIO) -> int:
    if at.tzinfo is None:
        at = at.replace(tzinfo=roster.timezone)
    duty = on_duty(roster, at)
    lines = []
    if not is_open(roster, at):
        opening = next_opening(roster, at)
        if opening is None:
            lines.append("closed — no opening scheduled")
        else:
            lines.append(f"closed — next opening {opening.isoformat()} ({when_text(opening, 'en')})")
    elif duty is None:
        lines.append("nobody on duty (open, but no shift now)")
    for target in chain(roster, at):
        label = f"{target} {roster.target_name(target)}"
        lines.append(label if target == duty else f"fallback: {label}")
        if desks:
            lines += [f"  {d}" for d in roster.desks_of(target)]
    print("\n".join(lines), file=out)
    return 0


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    weights = load_weights(args.weights)
    if args.slot_hours is not None or args.weeks is not None:
        weights = replace(
            weights,
            slot_minutes=round(args.slot_hours * 60) if args.slot_hours else weights.slot_minutes,
            weeks_per_year=args.weeks or weights.weeks_per_year,
        )
    if args.check is not None:
        checked = load_roster(args.check)
        year = None if args.weeks else _calendar(checked, args.year)
        rows = compare(checked, weights, year)
        print("\n".join(comparison_lines(rows, str(args.check), weights, year)), file=out)
        if args.tolerance is None:
            return 0
        over = [r.name for r in rows if abs(r.difference) > args.tolerance]
        if over:
            print(f"\nOff by more than {args.tolerance:g} h a year: {', '.join(over)}", file=out)
        return 1 if over else 0
    roster_path = args.roster or weights.roster
    roster = load_roster(roster_path) if roster_path else None
    year = _calendar(roster, args.year) if roster is not None and not args.weeks else None
    plan: Plan = make_plan(weights, existing=roster, year=year)
    if args.yaml:
        print(plan_yaml(plan), file=out)
        return 0
    table = grid_table(plan.as_roster(), expand=args.expand)
    print("\n".join(plan_lines(plan, render_text(table))), file=out)
    return 0


def _calendar(roster: Roster, year: int | None) -> Calendar:
    return calendar(roster, year or datetime.now(roster.timezone).year)


def _accounts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print (or run) one `prosodyctl register USER HOST PASSWORD` per account, new passwords."""
    roster = load_roster(args.file)
    _warn(roster.warnings, err)
    jids = list(dict.fromkeys([*roster.all_desks, *roster.coordinators]))
    if args.only:
        wanted = [j.strip().lower() for j in args.only]
        unknown = [j for j in wanted if j not in jids]
        if unknown:
            print(f"not in {args.file}: {', '.join(unknown)}", file=err)
            return 1
        jids = [j for j in jids if j in wanted]
    command = shlex.split(args.prosodyctl)
    failed = 0
    for jid in jids:
        user, _, host = jid.partition("@")
        password = secrets.token_urlsafe(12)
        argv = [*command, "register", user, host, password]
        if not args.run:
            print(shlex.join(argv), file=out)
            continue
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            failed += 1
            print(f"{jid}: {(done.stdout + done.stderr).strip() or f'exit {done.returncode}'}", file=err)
            continue
        print(f"{jid}\t{password}", file=out)
    return 1 if failed else 0
