"""Pure report statistics over conversations: counts by key, waits, lengths, shares."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tags.model import TagSet
from tags.period import month_of

BY = ("tag", "weekday", "hour", "desk", "library", "month")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS = tuple(f"{hour:02d}" for hour in range(24))
NONE_KEY = "(none)"
SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Conversation:
    """One conversation as reports see it; times are aware UTC datetimes."""

    id: str
    started: datetime
    library: str
    desk: str | None = None
    tags: tuple[str, ...] = ()
    queued_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    left_message: bool = False
    lines: int = 0
    rating: int | None = None  # the patron's score 1–5 after the chat ended, if they gave one
    bot_answers: tuple[str, ...] = ()  # FAQ entries the bot answered with (events `bot_answer`)
    bot_picks: tuple[str, ...] = ()  # entries the patron picked from "Did you mean" (`bot_pick`)
    handoff_after_bot: bool = False  # queued for a librarian after a bot answer or pick

    @property
    def answered(self) -> bool:
        """A librarian answered or accepted it."""
        return self.answered_at is not None

    @property
    def wait_seconds(self) -> float | None:
        """Time to first answer: answered_at − queued_at, when both are known and in order."""
        if self.answered_at is None or self.queued_at is None:
            return None
        seconds = (self.answered_at - self.queued_at).total_seconds()
        return seconds if seconds >= 0 else None

    @property
    def length_seconds(self) -> float | None:
        """Chat length: from the first answer to the end, for answered chats that ended."""
        if self.answered_at is None or self.ended_at is None:
            return None
        seconds = (self.ended_at - self.answered_at).total_seconds()
        return seconds if seconds >= 0 else None


@dataclass(frozen=True)
class Summary:
    """The headline figures of a report."""

    conversations: int
    answered: int
    unanswered: int
    left_message: int
    interrupted: int
    wait_median: float | None
    wait_p90: float | None
    length_median: float | None
    length_p90: float | None
    lines_median: float | None

    @property
    def share_answered(self) -> float | None:
        """Answered conversations / conversations."""
        return _share(self.answered, self.conversations)

    @property
    def share_left_message(self) -> float | None:
        """Conversations with a left message / conversations."""
        return _share(self.left_message, self.conversations)


def median(values: Sequence[float]) -> float | None:
    """The median (mean of the middle two for an even count); None for no values."""
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `pct` % of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(convs: Iterable[Conversation], interrupted_tag: str | None = "interrupted") -> Summary:
    """Headline figures; `interrupted_tag` is the id whose chats count as interrupted."""
    convs = list(convs)
    waits = [w for c in convs if (w := c.wait_seconds) is not None]
    lengths = [n for c in convs if (n := c.length_seconds) is not None]
    lines = [float(c.lines) for c in convs if c.answered]
    answered = sum(c.answered for c in convs)
    return Summary(
        conversations=len(convs),
        answered=answered,
        unanswered=len(convs) - answered,
        left_message=sum(c.left_message for c in convs),
        interrupted=sum(interrupted_tag in c.tags for c in convs) if interrupted_tag else 0,
        wait_median=median(waits),
        wait_p90=percentile(waits, 90),
        length_median=median(lengths),
        length_p90=percentile(lengths, 90),
        lines_median=median(lines),
    )


@dataclass(frozen=True)
class Ratings:
    """Patrons' ratings of a group of conversations: how many, the mean, and each score's count."""

    conversations: int
    count: int
    mean: float | None
    scores: tuple[tuple[int, int], ...]  # (score, count) for 1 … 5

    @property
    def share_rated(self) -> float | None:
        """Rated conversations / conversations."""
        return _share(self.count, self.conversations)


@dataclass(frozen=True)
class RatingRow:
    """One key of a ratings breakdown: conversations under it, how many were rated, the mean."""

    key: str
    conversations: int
    count: int
    mean: float | None


def rate(convs: Iterable[Conversation]) -> Ratings:
    """Count and mean of the ratings (unrated conversations are left out of the mean)."""
    convs = list(convs)
    scores = [c.rating for c in convs if c.rating is not None]
    per_score = Counter(scores)
    return Ratings(
        conversations=len(convs),
        count=len(scores),
        mean=statistics.fmean(scores) if scores else None,
        scores=tuple((score, per_score[score]) for score in SCORES),
    )


def ratings_by(
    convs: Iterable[Conversation],
    by: str,
    tz: ZoneInfo,
    *,
    tagset: TagSet | None = None,
    first: date | None = None,
    last: date | None = None,
) -> tuple[RatingRow, ...]:
    """Ratings per key, in the rows and order of `count_by` (a chat counts under each of its tags)."""
    convs = list(convs)
    groups: dict[str, list[int]] = {}
    for conv in convs:
        for key in keys_of(conv, by, tz):
            groups.setdefault(key, [])
            if conv.rating is not None:
                groups[key].append(conv.rating)
    return tuple(
        RatingRow(key, n, len(groups.get(key, ())),
                  statistics.fmean(groups[key]) if groups.get(key) else None)
        for key, n in count_by(convs, by, tz, tagset=tagset, first=first, last=last)
    )  # fmt: skip


def keys_of(conv: Conversation, by: str, tz: ZoneInfo) -> tuple[str, ...]:
    """The keys a conversation counts under; several for `tag`, `(none)` when it has none."""
    local = conv.started.astimezone(tz)
    if by == "tag":
        return tuple(dict.fromkeys(conv.tags)) or (NONE_KEY,)
    if by == "weekday":
        return (WEEKDAYS[local.weekday()],)
    if by == "hour":
        return (HOURS[local.hour],)
    if by == "month":
        return (month_of(local.date()),)
    if by == "desk":
        return (conv.desk or NONE_KEY,)
    if by == "library":
        return (conv.library or NONE_KEY,)
    raise ValueError(f"unknown breakdown {by!r}; one of {', '.join(BY)}")


def count_by(
    convs: Iterable[Conversation],
    by: str,
    tz: ZoneInfo,
    *,
    tagset: TagSet | None = None,
    first: date | None = None,
    last: date | None = None,
) -> tuple[tuple[str, int], ...]:
    """(key, conversations) rows in a stable order; fixed keys are listed even at zero."""
    counts: Counter[str] = Counter()
    for conv in convs:
        counts.update(keys_of(conv, by, tz))
    if by == "weekday":
        return tuple((key, counts[key]) for key in WEEKDAYS)
    if by == "hour":
        return tuple((key, counts[key]) for key in HOURS)
    if by == "month":
        return tuple((key, counts[key]) for key in _months(counts, first, last))
    if by == "tag" and tagset is not None:
        return _tag_rows(counts, tagset)
    ranked = sorted((k for k in counts if k != NONE_KEY), key=lambda k: (-counts[k], k))
    return _with_none(tuple((k, counts[k]) for k in ranked), counts)


def weekday_hour(convs: Iterable[Conversation], tz: ZoneInfo) -> tuple[tuple[int, ...], ...]:
    """A 7 × 24 grid of conversation counts: rows mon … sun, columns hours 0 … 23, local time."""
    grid = [[0] * 24 for _ in WEEKDAYS]
    for conv in convs:
        local = conv.started.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
    return tuple(tuple(row) for row in grid)


def _tag_rows(counts: Counter[str], tagset: TagSet) -> tuple[tuple[str, int], ...]:
    rows = [(tag.id, counts[tag.id]) for tag in tagset.visible]
    rows += [(tag.id, counts[tag.id]) for tag in tagset.tags if tag.removed and counts[tag.id]]
    known = set(tagset.ids) | {NONE_KEY}
    rows += sorted((k, n) for k, n in counts.items() if k not in known)
    return _with_none(tuple(rows), counts)


def _with_none(rows: tuple[tuple[str, int], ...], counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return (*rows, (NONE_KEY, counts[NONE_KEY])) if counts[NONE_KEY] else rows


def _months(counts: Counter[str], first: date | None, last: date | None) -> list[str]:
    lo = month_of(first) if first else min(counts, default=None)
    hi = month_of(last) if last else max(counts, default=None)
    if lo is None or hi is None:
        return sorted(counts)
    months: list[str] = []
    year, month = int(lo[:4]), int(lo[5:7])
    while f"{year:04d}-{month:02d}" <= hi:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
