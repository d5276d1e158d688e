"""Desk capacity: a seat or desk with `max_chats` open chats is skipped by routing (shown busy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slixmpp import JID


@dataclass
class Capacity:
    """Limits of open (owned, not ended) chats; 0 means no limit."""

    per_seat: int = 0
    per_desk: int = 0

    @staticmethod
    def owned(service: Any) -> list[str]:
        return [c.owner for c in service.chats.values() if c.owner]

    def seat_has_room(self, seat: str, service: Any) -> bool:
        return not self.per_seat or self.owned(service).count(seat) < self.per_seat

    def desk_has_room(self, desk: str, service: Any) -> bool:
        if not self.per_desk:
            return True
        return sum(1 for o in self.owned(service) if JID(o).bare == desk) < self.per_desk
