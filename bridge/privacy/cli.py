"""`python -m bridge.privacy export|delete|retention --database FILE|URL …` for requests and retention."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bridge.clock import format_ts
from bridge.privacy.config import PrivacyConfig, parse_privacy
from bridge.privacy.db import connect
from bridge.privacy.errors import PrivacyError, QueryError
from bridge.privacy.lookup import Request, delete_chats, find_chats, summary_line, transcript
from bridge.privacy.retention import apply_retention

DATABASE_HELP = "the bridge's `database:`: its SQLite file, or a postgresql:// URL"


def parser() -> argparse.ArgumentParser:
    """The command line: three subcommands sharing --database."""
    p = argparse.ArgumentParser(
        prog="python -m bridge.privacy", description="Access and erasure requests; retention of chat text."
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="export|delete|retention")
    for name, text in (("export", "print a patron's chats as JSON"), ("delete", "delete a patron's chats")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--database", required=True, help=DATABASE_HELP)
        s.add_argument("--session", action="append", default=[], help="a chat id, p-…; repeatable")
        s.add_argument(
            "--contact", action="append", default=[], help="e-mail or phone as the patron gave it; repeatable"
        )
        s.add_argument("--from", dest="since", help="chats started on or after this local date, YYYY-MM-DD")
        s.add_argument("--to", dest="until", help="chats started on or before this local date, YYYY-MM-DD")
        s.add_argument("--timezone", default="Europe/Helsinki", help="of --from and --to")
        if name == "export":
            s.add_argument("--output", type=Path, help="write the JSON here (mode 600), not to stdout")
        else:
            s.add_argument("--yes", action="store_true", help="delete without asking")
    r = sub.add_parser("retention", help="redact ended chats and anonymise old ones, once")
    r.add_argument("--database", required=True, help=DATABASE_HELP)
    r.add_argument("--config", type=Path, help="bridge config file whose `privacy:` section to use")
    r.add_argument("--retention-days", type=int, help="overrides privacy.retention_days")
    r.add_argument("--no-redact", action="store_true", help="only anonymise; do not redact ended chats")
    return p


def main(
    argv: list[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    now: datetime | None = None,
) -> int:
    """Run one command; 0 on success, 1 with `error: …` on standard error, 2 for bad usage."""
    args = parser().parse_args(argv)
    io = (stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    try:
        return asyncio.run(_run(args, io, now or datetime.now(UTC)))
    except (PrivacyError, ValueError) as e:
        print(f"error: {e}", file=io[2])
        return 1


async def _run(args: argparse.Namespace, io: tuple[TextIO, TextIO, TextIO], now: datetime) -> int:
    if args.command == "retention":
        cfg = _privacy_config(args)
        result = await apply_retention(
            args.database,
            now=now,
            retention_days=cfg.retention_days,
            redact_after_end=cfg.redact_after_end,
            card_patterns=cfg.card_patterns,
        )
        print(result.summary(), file=io[1])
        return 0
    req = _request(args)
    async with connect(args.database) as db:
        ids = await find_chats(db, req)
        if args.command == "export":
            doc = {
                "exported_at": format_ts(now),
                "request": _describe(args),
                "chats": [await transcript(db, sid) for sid in ids],
            }
            _write_json(doc, args.output, io[1])
            if args.output:
                print(f"wrote {len(ids)} chat(s) to {args.output}", file=io[2])
            return 0
        if not ids:
            print("no chats match; nothing deleted", file=io[1])
            return 0
        for sid in ids:
            print(await summary_line(db, sid), file=io[1])
        if not args.yes and not _confirmed(len(ids), io):
            print("nothing deleted", file=io[1])
            return 1
        n = await delete_chats(db, ids, now)
        print(f"deleted {n} chat(s)", file=io[1])
        return 0


def _privacy_config(args: argparse.Namespace) -> PrivacyConfig:
    raw: dict[str, Any] | None = None
    if args.config:
        try:
            top = yaml.safe_load(args.config.read_text()) or {}
        except (OSError, yaml.YAMLError) as e:
            raise QueryError(f"--config {args.config}: cannot read it as YAML: {e}") from e
        raw = top.get("privacy") if isinstance(top, dict) else None
    cfg = parse_privacy(raw)
    days = cfg.retention_days if args.retention_days is None else args.retention_days
    if days < 1:
        raise QueryError(f"--retention-days: expected 1 or more, got {days}")
    return PrivacyConfig(days, cfg.redact_after_end and not args.no_redact, cfg.card_patterns)


def _request(args: argparse.Namespace) -> Request:
    try:
        zone = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise QueryError(f"--timezone {args.timezone!r}: unknown; e.g. Europe/Helsinki") from e
    since = _day_start(args.since, "--from", zone, 0)
    until = _day_start(args.until, "--to", zone, 1)
    if since and until and since >= until:
        raise QueryError(f"--from {args.since} is after --to {args.until}")
    return Request(tuple(args.session), tuple(args.contact), since, until)


def _day_start(value: str | None, flag: str, zone: ZoneInfo, plus_days: int) -> str | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as e:
        raise QueryError(f"{flag} {value!r}: expected a date YYYY-MM-DD, e.g. 2026-11-01") from e
    return format_ts(datetime.combine(day + timedelta(days=plus_days), time(), zone))


def _describe(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "sessions": args.session,
        "contacts": args.contact,
        "from": args.since,
        "to": args.until,
        "timezone": args.timezone,
    }


def _write_json(doc: dict[str, Any], path: Path | None, out: TextIO) -> None:
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if path is None:
        out.write(text)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an existing file may have been readable by others
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise QueryError(f"--output {path}: cannot write: {e.strerror}") from e


def _confirmed(n: int, io: tuple[TextIO, TextIO, TextIO]) -> bool:
    if not io[0].isatty():
        raise QueryError("not at a terminal: add --yes to delete the chats listed above")
    print(f"Delete these {n} chat(s) and everything about them? Type yes: ", end="", file=io[1], flush=True)
    return io[0].readline().strip().lower() == "yes"
