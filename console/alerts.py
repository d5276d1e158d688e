"""When a waiting chat rings again and how strongly it is highlighted (pure; no I/O)."""

from __future__ import annotations

from console.config import AlertSettings

MAX_LEVEL = 3


def intervals(settings: AlertSettings) -> tuple[float, float]:
    """(first repeat, shortest repeat) in seconds; (0, 0) when repeats are off."""
    first = float(settings.repeat_seconds)
    if first <= 0:
        return 0.0, 0.0
    if not settings.escalate:
        return first, first
    return first, float(min(first, max(1, settings.min_repeat_seconds)))


def rings_due(waited: float, settings: AlertSettings) -> int:
    """How many repeat rings are due after a chat has waited `waited` seconds.

    The first comes after `repeat_seconds`; with `escalate` each following interval is half the
    one before, down to `min_repeat_seconds`, so a chat that keeps waiting gets harder to miss.
    """
    interval, shortest = intervals(settings)
    if interval <= 0 or waited < interval:
        return 0
    n, at = 0, 0.0
    while interval > shortest:
        if at + interval > waited:
            return n
        at += interval
        n += 1
        interval = max(shortest, interval / 2)
    return n + int((waited - at) // shortest)


def level(rings: int) -> int:
    """The highlight's strength, 0 (none) … MAX_LEVEL, from the repeat rings so far."""
    return max(0, min(MAX_LEVEL, rings))
