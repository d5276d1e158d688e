"""Terminal bar charts and the statistics screen's periods (pure; no Textual widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(count: int, most: int, width: int) -> str:
    """A horizontal bar of `count` against `most` filling at most `width` cells (1/8 steps)."""
    if most <= 0 or count <= 0 or width <= 0:
        return ""
    eighths = max(1, round(count / most * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def chart_rows(rows: Sequence[tuple[str, int]], width: int) -> list[tuple[str, str, int]]:
    """(label, bar, count) for each row, bars scaled so that the largest count fills `width`."""
    most = max((n for _, n in rows), default=0)
    return [(label, bar(n, most, width), n) for label, n in rows]


PERIODS = ("month", "last", "all")


def period_bounds(period: str, today: date) -> tuple[str, str]:
    """The `stats` command's `from` and `to` for this month, last month or all time."""
    if period == "month":
        month = f"{today.year:04d}-{today.month:02d}"
        return month, month
    if period == "last":
        year, month_no = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        month = f"{year:04d}-{month_no:02d}"
        return month, month
    return "", ""


def duration(seconds: float | None) -> str:
    """A wait as people read it: 45 s, 3 min 05 s, 1 h 02 min; – when unknown."""
    if seconds is None:
        return "–"
    secs = round(seconds)
    if secs < 60:
        return f"{secs} s"
    if secs < 3600:
        return f"{secs // 60} min {secs % 60:02d} s"
    return f"{secs // 3600} h {secs % 3600 // 60:02d} min"
