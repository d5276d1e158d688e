"""The bridge's in-memory view of a live chat (the store holds the truth); no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from deskproto import WAITING, ChatState

__all__ = ["WAITING", "ChatState", "LiveChat"]


@dataclass
class LiveChat:
    """What the bridge keeps at hand about a chat that has not ended.

    Mirrors the `sessions` row (written first); `offered` is derived routing state that is
    rebuilt by offering again after a restart.
    """

    id: str
    library: str
    lang: str
    page: str | None
    state: ChatState
    target: str | None = None
    owner: str | None = None
    created_at: str = ""
    queued_at: str | None = None
    answered_at: str | None = None
    tags: list[str] = field(default_factory=list)
    offered: set[str] = field(default_factory=set)  # full JIDs the chat is offered to
    transferred_from: str | None = None
    first_line: str | None = None
    told_position: int | None = None  # the queue place the patron was last told
    step: int = 0  # how far along the routing chain timed rollover has offered it
    offered_at: float | None = None  # monotonic time of the last offer step or reminder
    returned_at: datetime | None = None  # the patron's last reconnect
    ended_at: datetime | None = None
    gone_since: datetime | None = None  # no patron socket since then (None: the patron is here)
    kept: bool = False  # the owner keeps the chat open although its patron has gone

    @property
    def waiting(self) -> bool:
        """Waiting for a librarian: queued, or closed with nobody yet taking it."""
        return self.state in WAITING and self.queued_at is not None

    @property
    def nickname(self) -> str:
        """A short, speakable name for the patron, e.g. 'Patron 7F3K'."""
        return "Patron " + self.id.removeprefix("p-")[:4].upper()
