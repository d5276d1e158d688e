"""The automatic answers' share of the work: pure figures per month and per FAQ entry.

A conversation counts as *answered by the bot* when the bridge answered it from the FAQ (an
answer, or a "Did you mean" suggestion the patron picked) and no librarian was asked for
after that; a *handoff after a bot answer* is one that went to the queue after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tags.period import month_of
from tags.stats import Conversation

BOT_BY = ("month", "entry")


@dataclass(frozen=True)
class BotRow:
    """Figures of one month or one FAQ entry."""

    key: str
    conversations: int  # month: all conversations; entry: those the bot answered with it
    by_bot: int  # answered by the bot, no librarian after it
    picks: int  # a suggestion was picked ("Did you mean")
    handoffs: int  # went to a librarian after a bot answer

    @property
    def share_by_bot(self) -> float | None:
        """by_bot / conversations."""
        return self.by_bot / self.conversations if self.conversations else None


def bot_only(c: Conversation) -> bool:
    """Answered from the FAQ and never handed to a librarian after that."""
    return bool(c.bot_answers or c.bot_picks) and not c.handoff_after_bot and not c.answered


def bot_share(convs: Iterable[Conversation], by: str, tz: ZoneInfo) -> tuple[BotRow, ...]:
    """Rows by month (every month with conversations, in order) or by entry (most used first)."""
    if by not in BOT_BY:
        raise ValueError(f"bot share by {by!r}; expected one of {BOT_BY}")
    groups: dict[str, list[Conversation]] = {}
    picked: dict[str, int] = {}
    for c in convs:
        if by == "month":
            keys = [month_of(c.started.astimezone(tz).date())]
        else:
            keys = list(dict.fromkeys((*c.bot_answers, *c.bot_picks)))
        for key in keys:
            groups.setdefault(key, []).append(c)
            if (by == "month" and c.bot_picks) or key in c.bot_picks:
                picked[key] = picked.get(key, 0) + 1
    rows = [
        BotRow(
            key,
            len(group),
            sum(bot_only(c) for c in group),
            picked.get(key, 0),
            sum(c.handoff_after_bot for c in group),
        )
        for key, group in groups.items()
    ]
    if by == "month":
        return tuple(sorted(rows, key=lambda r: r.key))
    return tuple(sorted(rows, key=lambda r: (-r.conversations, r.key)))


def bot_csv_rows(rows: Iterable[BotRow]) -> list[tuple[str, int, int, int, int]]:
    """Rows for `key,conversations,answered_by_bot,suggestion_picks,handoffs_after_bot`."""
    return [(r.key, r.conversations, r.by_bot, r.picks, r.handoffs) for r in rows]


BOT_CSV_HEADER = ["key", "conversations", "answered_by_bot", "suggestion_picks", "handoffs_after_bot"]
