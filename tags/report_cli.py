"""`python -m tags report` and `compare`: figures from the bridge's database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tags.botshare import BOT_BY, bot_share
from tags.compare import Survey, load_survey
from tags.db import load_conversations
from tags.errors import ReportError
from tags.files import atomic_write
from tags.loading import load_tags
from tags.model import TagSet
from tags.period import DEFAULT_TIMEZONE, Period, month_of, month_period, parse_day, timezone
from tags.period import previous_month as _previous
from tags.reporting import build_report, comparison
from tags.stats import BY, count_by, rate, ratings_by, summarize
from tags.textout import (
    bot_csv,
    bot_table,
    comparison_csv,
    comparison_table,
    counts_csv,
    counts_table,
    ratings_csv,
    ratings_table,
    summary_text,
)


def add_commands(sub: Any, cmd: Callable[..., argparse.ArgumentParser], langs: tuple) -> None:
    """Add `report` and `compare` to the `python -m tags` parser."""
    rep = cmd(sub, "report", "count conversations; summary, CSV or an HTML report", _report, None)
    _common(rep, langs)
    rep.add_argument("--from", dest="first", metavar="DATE", help="first day (YYYY-MM-DD or YYYY-MM)")
    rep.add_argument("--to", dest="last", metavar="DATE", help="last day, inclusive")
    rep.add_argument("--by", choices=BY, help="count by this key (default: tag)")
    rep.add_argument("--summary", action="store_true", help="print the headline figures")
    rep.add_argument(
        "--ratings",
        action="store_true",
        help="patrons' ratings (count, mean) overall and per --by key (default: tag)",
    )
    rep.add_argument(
        "--bot",
        nargs="?",
        const="month",
        choices=BOT_BY,
        help="automatic answers: answered by the bot, suggestion picks, handoffs after a bot "
        "answer, by month (default) or by FAQ entry",
    )
    rep.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    rep.add_argument("--title", default="Tiski chat report", help="title of the HTML report")
    rep.add_argument("--against", metavar="PERIOD", help="HTML: compare tag shares with YYYY-MM")
    rep.add_argument("--survey", metavar="FILE", help="HTML: compare tag shares with a survey")
    com = cmd(sub, "compare", "tag shares in a month vs another month or a survey", _compare, None)
    _common(com, langs)
    com.add_argument("--month", metavar="YYYY-MM", help="the month to look at (default: this one)")
    com.add_argument("--against", metavar="YYYY-MM", help="the other month (default: previous)")
    com.add_argument("--survey", metavar="FILE", help="compare with a survey's distribution")


def _common(cmd: argparse.ArgumentParser, langs: tuple) -> None:
    cmd.add_argument(
        "--database",
        required=True,
        metavar="FILE|URL",
        help="the bridge's `database:`: its SQLite file or a postgresql:// URL",
    )
    cmd.add_argument("--timezone", default=DEFAULT_TIMEZONE, help="local time zone of the keys")
    cmd.add_argument("--lang", choices=langs, default="fi", help="language of tag names")
    cmd.add_argument("--csv", action="store_true", help="CSV instead of aligned text")


def _report(args: argparse.Namespace) -> None:
    tz = timezone(args.timezone)
    first = parse_day(args.first) if args.first else None
    last = parse_day(args.last, last=True) if args.last else None
    if first and last and first > last:
        raise ReportError(f"--from {args.first} is after --to {args.last}")
    period = Period(first, last, tz)
    tagset = load_tags(args.tags) if args.tags else None
    if args.html:
        from tags.html import render_html  # matplotlib loads only when a chart is drawn

        against = _against(args, tz, tagset)
        data = build_report(
            args.database, period, tagset=tagset, lang=args.lang, title=args.title, against=against
        )
        atomic_write(args.html, render_html(data))
        print(f"wrote {args.html}", file=sys.stderr)
    shown = args.ratings or args.bot
    show_counts = not shown and (args.by is not None or not (args.summary or args.html))
    if not (args.summary or show_counts or shown):
        return
    convs = load_conversations(args.database, period)
    if args.summary:
        auto = tagset.auto_tag("interrupted") if tagset else None
        summary = summarize(convs, auto.id if auto else "interrupted")
        print(summary_text(summary, f"{period.label()} ({tz})"), end="")
    if show_counts:
        rows = count_by(convs, args.by or "tag", tz, tagset=tagset, first=first, last=last)
        out = counts_csv(rows) if args.csv else counts_table(rows, len(convs), tagset, args.lang)
        print(out, end="")
    if args.ratings:
        by = args.by or "tag"
        rated = ratings_by(convs, by, tz, tagset=tagset, first=first, last=last)
        out = ratings_csv(rated) if args.csv else ratings_table(rate(convs), rated, by, tagset, args.lang)
        print(out, end="")
    if args.bot:
        bot_rows = bot_share(convs, args.bot, tz)
        print(bot_csv(bot_rows) if args.csv else bot_table(bot_rows, args.bot), end="")


def _compare(args: argparse.Namespace) -> None:
    tz = timezone(args.timezone)
    month = args.month or month_of(datetime.now(UTC).astimezone(tz).date())
    period = month_period(month, tz)
    tagset = load_tags(args.tags) if args.tags else None
    against = _against(args, tz, tagset) or month_period(_previous(month), tz)
    comp = comparison(args.database, period, against, tagset)
    if args.csv:
        print(comparison_csv(comp.rows), end="")
    else:
        table = comparison_table(comp.rows, comp.this_label, comp.other_label, tagset, args.lang)
        print(table, end="")


def _against(args: argparse.Namespace, tz: Any, tagset: TagSet | None) -> Period | Survey | None:
    if args.survey and args.against:
        raise ReportError("give either --against or --survey, not both")
    if args.survey:
        return load_survey(args.survey, tagset)
    if args.against:
        return month_period(args.against, tz)
    return None
