"""Automatic tagging rules: pure functions the bridge applies to a chat's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_GRACE = timedelta(seconds=120)
# A patron who leaves in these states has left someone waiting or mid-conversation; in `bot`
# nobody was involved yet, in `closed` they were offered to leave a message.
WAITING_STATES = frozenset({"queued", "active"})


@dataclass(frozen=True)
class PatronLeft:
    """The patron's last connection closed, or the patron sent `end`, at `at` in `state`."""

    state: str
    at: datetime
    ended_by_patron: bool = False


def is_interrupted(
    left: PatronLeft,
    now: datetime,
    *,
    grace: timedelta = DEFAULT_GRACE,
    returned_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> bool:
    """True when the patron left for good before the chat ended; False until `grace` has passed.

    `returned_at` is when the patron reconnected (resumed), `ended_at` when a librarian or the
    bridge ended the chat, both only if after `left.at`. A patron who sends `end` while still
    queued gave up waiting (interrupted at once); while active, the patron ended it normally.
    """
    if left.state not in WAITING_STATES:
        return False
    if left.ended_by_patron:
        return left.state == "queued"
    deadline = left.at + grace
    if returned_at is not None and left.at <= returned_at <= deadline:
        return False
    if ended_at is not None and left.at <= ended_at < deadline:
        return False
    return now >= deadline


def interrupted_check_at(left: PatronLeft, *, grace: timedelta = DEFAULT_GRACE) -> datetime | None:
    """When to apply `is_interrupted` to this departure; None if it can never be interrupted."""
    if left.state not in WAITING_STATES:
        return None
    return left.at if left.ended_by_patron else left.at + grace
