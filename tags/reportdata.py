"""The figures of a report, computed and ready to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tags.botshare import BotRow
from tags.compare import ComparisonRow
from tags.model import TagSet
from tags.stats import RatingRow, Ratings, Summary


@dataclass(frozen=True)
class Comparison:
    """A comparison table for the report: rows and the two columns' labels."""

    rows: tuple[ComparisonRow, ...]
    this_label: str
    other_label: str
    note: str = ""


@dataclass(frozen=True)
class ReportData:
    """Everything the HTML report shows, computed beforehand."""

    title: str
    period: str
    timezone: str
    generated: datetime
    summary: Summary
    breakdowns: dict[str, tuple[tuple[str, int], ...]]
    grid: tuple[tuple[int, ...], ...]
    tagset: TagSet | None = None
    lang: str = "fi"
    comparison: Comparison | None = None
    sources: tuple[str, ...] = field(default=())
    ratings: Ratings | None = None  # the patrons' ratings overall
    rating_breakdowns: dict[str, tuple[RatingRow, ...]] = field(default_factory=dict)  # by RATED_BY
    bot: dict[str, tuple[BotRow, ...]] = field(default_factory=dict)  # automatic answers, by BOT_BY
