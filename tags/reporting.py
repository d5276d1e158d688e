"""Putting a report together: conversations from the store, figures, optional comparison."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tags.botshare import BOT_BY, bot_share
from tags.compare import Survey, compare
from tags.db import load_conversations
from tags.model import TagSet
from tags.period import Period
from tags.reportdata import Comparison, ReportData
from tags.stats import BY, count_by, rate, ratings_by, summarize, weekday_hour

# The breakdowns of the ratings section of the HTML report.
RATED_BY = ("desk", "tag", "library")


def tag_counts(database: str | Path, period: Period) -> dict[str, int]:
    """Conversations per tag id in the period."""
    return dict(count_by(load_conversations(database, period), "tag", period.tz))


def comparison(
    database: str | Path,
    period: Period,
    other: Period | Survey,
    tagset: TagSet | None,
) -> Comparison:
    """Tag shares in `period` against another period or a survey."""
    this = tag_counts(database, period)
    if isinstance(other, Survey):
        note = other.note
        rows = compare(this, other, tagset)
        label = other.title
    else:
        note = ""
        rows = compare(this, tag_counts(database, other), tagset)
        label = other.label()
    return Comparison(rows, period.label(), label, note)


def build_report(
    database: str | Path,
    period: Period,
    *,
    tagset: TagSet | None = None,
    lang: str = "fi",
    title: str = "Tiski chat report",
    against: Period | Survey | None = None,
    now: datetime | None = None,
) -> ReportData:
    """Every figure of the HTML report for the period."""
    convs = load_conversations(database, period)
    tz = period.tz
    first, last = _span(period, [c.started.astimezone(tz).date() for c in convs])
    interrupted = tagset.auto_tag("interrupted") if tagset else None
    return ReportData(
        title=title,
        period=Period(first, last, tz).label(),
        timezone=str(tz),
        generated=(now or datetime.now(UTC)).astimezone(tz),
        summary=summarize(convs, interrupted.id if interrupted else "interrupted"),
        breakdowns={by: count_by(convs, by, tz, tagset=tagset, first=first, last=last) for by in BY},
        grid=weekday_hour(convs, tz),
        tagset=tagset,
        lang=lang,
        comparison=None if against is None else comparison(database, period, against, tagset),
        sources=(Path(database).name,),
        ratings=rate(convs),
        rating_breakdowns={
            by: ratings_by(convs, by, tz, tagset=tagset, first=first, last=last) for by in RATED_BY
        },
        bot={by: bot_share(convs, by, tz) for by in BOT_BY},
    )


def _span(period: Period, days: list[date]) -> tuple[date | None, date | None]:
    return (period.first or min(days, default=None), period.last or max(days, default=None))
