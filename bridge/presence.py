"""Which desk seats are available to take chats, from the presence the component receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from slixmpp import JID

# Presence `show` values that mean "do not offer me chats".
BUSY_SHOWS = frozenset({"dnd"})


@dataclass
class SeatBook:
    """Available resources per desk account: bare JID → {resource: show}."""

    seats: dict[str, dict[str, str]] = field(default_factory=dict)
    busy_shows: frozenset[str] = BUSY_SHOWS
    langs: dict[str, str] = field(default_factory=dict)  # full JID → its presence's xml:lang

    def set_lang(self, seat: JID, lang: str) -> None:
        """Remember the language a seat's client says it speaks (kept after it goes offline)."""
        if lang:
            self.langs[seat.full] = lang

    def lang_of(self, seat: str) -> str | None:
        """The xml:lang of the seat's last available presence, if it had one."""
        return self.langs.get(seat)

    def update(self, seat: JID, available: bool, show: str) -> bool:
        """Record a presence; True when the set of offerable seats changed."""
        before = self.offerable_seats(seat.bare)
        resources = self.seats.setdefault(seat.bare, {})
        if available:
            resources[seat.resource] = show
        else:
            resources.pop(seat.resource, None)
        return before != self.offerable_seats(seat.bare)

    def offerable_seats(self, desk: str) -> tuple[str, ...]:
        """Full JIDs of a desk's seats that may be offered chats now."""
        resources = self.seats.get(desk, {})
        return tuple(f"{desk}/{r}" for r, show in sorted(resources.items()) if show not in self.busy_shows)

    def is_online(self, seat: str) -> bool:
        jid = JID(seat)
        return jid.resource in self.seats.get(jid.bare, {})

    def available_desks(self) -> set[str]:
        """Bare JIDs of desks with at least one offerable seat."""
        return {desk for desk in self.seats if self.offerable_seats(desk)}
