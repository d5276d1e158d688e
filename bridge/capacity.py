"""Desk capacity: a seat or desk with `max_chats` open chats is skipped by routing (shown busy)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slixmpp import JID


@dataclass
class Capacity:
    """Limits of open (owned, not ended) chats; 0 means no limit."""

    per_seat: int = 0
    per_desk: int = 0

    def room(self, chats: Iterable[Any]) -> Room:
        """Who has room now: owned chats counted once, for a whole routing decision."""
        seats = Counter(c.owner for c in chats if c.owner)
        desks: Counter[str] = Counter()
        for seat, n in seats.items():
            desks[JID(seat).bare] += n
        return Room(self, seats, desks)


@dataclass(frozen=True)
class Room:
    """Open chats per seat and per desk at one moment, against the limits."""

    limits: Capacity
    seats: Counter[str]
    desks: Counter[str]

    def seat_has_room(self, seat: str) -> bool:
        return not self.limits.per_seat or self.seats[seat] < self.limits.per_seat

    def desk_has_room(self, desk: str) -> bool:
        return not self.limits.per_desk or self.desks[desk] < self.limits.per_desk
