"""Plain-text and CSV output of report figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tags.botshare import BOT_CSV_HEADER, BotRow, bot_csv_rows
from tags.compare import ComparisonRow
from tags.model import TagSet
from tags.stats import RatingRow, Ratings, Summary


def counts_csv(rows: Sequence[tuple[str, int]]) -> str:
    """`key,count` with a header, one row per key."""
    return _csv(["key", "count"], rows)


def comparison_csv(rows: Sequence[ComparisonRow]) -> str:
    """One row per tag: count and share now, the other side's count and share, change in pp."""
    header = ["key", "count", "share", "other_count", "other_share", "difference_pp"]
    return _csv(
        header,
        [
            (r.tag_id, r.count, _num(r.share, 100), _opt(r.other_count), _num(r.other_share, 100),
             _num(r.difference, 1))
            for r in rows
        ],
    )  # fmt: skip


def counts_table(rows: Sequence[tuple[str, int]], total: int, tagset: TagSet | None, lang: str) -> str:
    """Aligned columns: key, (tag name,) count, share of conversations."""
    named = [(key, tag_name(key, tagset, lang), count) for key, count in rows]
    width = max((len(key) for key, _, _ in named), default=3)
    name_width = max((len(name) for _, name, _ in named), default=0)
    lines = []
    for key, name, count in named:
        share = f"{percent(count / total if total else None):>7}"
        label = f"  {name:<{name_width}}" if name_width else ""
        lines.append(f"{key:<{width}}{label}  {count:>6}  {share}")
    return "\n".join(lines) + "\n"


def ratings_csv(rows: Sequence[RatingRow]) -> str:
    """`key,conversations,ratings,mean_rating` with a header; the mean is empty when none rated."""
    return _csv(
        ["key", "conversations", "ratings", "mean_rating"],
        [(r.key, r.conversations, r.count, mean_rating(r.mean, "")) for r in rows],
    )


def ratings_rows(r: Ratings) -> list[tuple[str, str]]:
    """The overall rating figures as (label, value) pairs, shared by the text and HTML reports."""
    return [
        ("Rated conversations", f"{r.count} ({percent(r.share_rated)})"),
        ("Mean rating (1–5)", mean_rating(r.mean)),
        *((f"Rated {score}", str(n)) for score, n in r.scores),
    ]


def ratings_table(
    overall: Ratings, rows: Sequence[RatingRow], by: str, tagset: TagSet | None, lang: str
) -> str:
    """The overall figures, then aligned columns: key, (tag name,) conversations, ratings, mean."""
    pairs = ratings_rows(overall)[:2]
    width = max(len(label) for label, _ in pairs)
    lines = [f"{label:<{width}}  {value}" for label, value in pairs]
    named = [(r, tag_name(r.key, tagset, lang) if by == "tag" else "") for r in rows]
    key_width = max([len(r.key) for r, _ in named] + [len(by)])
    name_width = max((len(name) for _, name in named), default=0)
    name_head = f"  {'name':<{name_width}}" if name_width else ""
    lines.append("")
    lines.append(f"{by:<{key_width}}{name_head}  {'chats':>6}  {'rated':>6}  {'mean':>5}")
    for r, name in named:
        label = f"  {name:<{name_width}}" if name_width else ""
        lines.append(f"{r.key:<{key_width}}{label}  {r.conversations:>6}  {r.count:>6}  "
                     f"{mean_rating(r.mean):>5}")  # fmt: skip
    return "\n".join(lines) + "\n"


def bot_csv(rows: Sequence[BotRow]) -> str:
    """`key,conversations,answered_by_bot,suggestion_picks,handoffs_after_bot` with a header."""
    return _csv(BOT_CSV_HEADER, bot_csv_rows(rows))


def bot_table(rows: Sequence[BotRow], by: str) -> str:
    """Aligned columns: key, conversations, answered by the bot (and share), picks, handoffs."""
    width = max([len(r.key) for r in rows] + [len(by)])
    lines = [f"{by:<{width}}  {'chats':>6}  {'by bot':>6}  {'share':>6}  {'picks':>6}  {'handoffs':>8}"]
    for r in rows:
        share = percent(r.share_by_bot) if r.share_by_bot is not None else "–"
        lines.append(f"{r.key:<{width}}  {r.conversations:>6}  {r.by_bot:>6}  {share:>6}  "
                     f"{r.picks:>6}  {r.handoffs:>8}")  # fmt: skip
    return "\n".join(lines) + "\n"


def mean_rating(mean: float | None, none: str = "–") -> str:
    """A mean score with two decimals ("4.33"); `none` when nothing was rated."""
    return none if mean is None else f"{mean:.2f}"


def summary_rows(s: Summary) -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs, shared by the text and HTML reports."""
    return [
        ("Conversations", str(s.conversations)),
        ("Answered", f"{s.answered} ({percent(s.share_answered)})"),
        ("Never answered", str(s.unanswered)),
        ("Left as messages", f"{s.left_message} ({percent(s.share_left_message)})"),
        ("Interrupted", str(s.interrupted)),
        ("Time to first answer, median", duration(s.wait_median)),
        ("Time to first answer, 90th percentile", duration(s.wait_p90)),
        ("Chat length, median", duration(s.length_median)),
        ("Chat length, 90th percentile", duration(s.length_p90)),
        ("Lines per answered chat, median", _opt(s.lines_median, "–")),
    ]


def summary_text(s: Summary, title: str) -> str:
    """The headline figures as labelled lines under a title."""
    pairs = summary_rows(s)
    width = max(len(label) for label, _ in pairs)
    return title + "\n" + "".join(f"  {label:<{width}}  {value}\n" for label, value in pairs)


def comparison_table(
    rows: Sequence[ComparisonRow], this: str, other: str, tagset: TagSet | None, lang: str
) -> str:
    """Aligned comparison under a title line: tag, count and share, the other side, the change."""
    names = [tag_name(r.tag_id, tagset, lang) or r.tag_id for r in rows]
    width = max([len(n) for n in names] + [3])
    counted = any(r.other_count is not None for r in rows)
    other_head = f"{'count':>6}  {'share':>7}" if counted else f"{'share':>7}"
    lines = [
        f"{this} compared with {other}",
        f"{'tag':<{width}}  {'count':>6}  {'share':>7}  |  {other_head}  {'change':>9}",
    ]
    for row, name in zip(rows, names, strict=True):
        then = f"{_opt(row.other_count):>6}  " if counted else ""
        diff = "–" if row.difference is None else f"{row.difference:+.1f} pp"
        lines.append(
            f"{name:<{width}}  {row.count:>6}  {percent(row.share):>7}  |  "
            f"{then}{percent(row.other_share):>7}  {diff:>9}"
        )
    return "\n".join(lines) + "\n"


def tag_name(key: str, tagset: TagSet | None, lang: str) -> str:
    """The tag's display name for a key, with "(removed)" if so; "" when unknown."""
    tag = tagset.get(key) if tagset else None
    if tag is None:
        return ""
    return f"{tag.name(lang)} (removed)" if tag.removed else tag.name(lang)


def percent(share: float | None) -> str:
    """0.456 → "45.6 %"; None → "–"."""
    return "–" if share is None else f"{share * 100:.1f} %"


def duration(seconds: float | None) -> str:
    """Seconds as "45 s", "2 min 05 s" or "1 h 02 min"; None → "–"."""
    if seconds is None:
        return "–"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _num(value: float | None, scale: float) -> str:
    return "" if value is None else f"{value * scale:.1f}"


def _opt(value: object | None, none: str = "") -> str:
    if value is None:
        return none
    return f"{value:g}" if isinstance(value, float) else str(value)
