"""The boundary between the console's UI and the desk protocol: events and a Protocol."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Protocol

from deskproto import Kind


class ChatStateName(Enum):
    """The bridge's chat states (CONTRACTS §1)."""

    BOT = "bot"
    QUEUED = "queued"
    ACTIVE = "active"
    CLOSED = "closed"
    ENDED = "ended"

    @classmethod
    def parse(cls, value: str) -> ChatStateName:
        try:
            return cls(value)
        except ValueError:
            return cls.QUEUED


class Mark(Enum):
    """How far one of this seat's own lines has come (shown after the line)."""

    NONE = ""  # not a line of ours (or from the log)
    HELD = "held"  # not sent yet: no connection, or the bridge is not answering
    SENT = "sent"  # sent; the bridge has not confirmed it yet
    STORED = "stored"  # the bridge stored it (its XEP-0184 receipt)
    DELIVERED = "delivered"  # it reached the patron's browser
    FAILED = "failed"  # the server or the bridge refused it; retry with Ctrl+R

    @property
    def pending(self) -> bool:
        return self in (Mark.HELD, Mark.SENT)


class Link(Enum):
    """The state of the connection to the XMPP server."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"  # will not reconnect by itself (conflict, bad password, shutdown)


@dataclass(frozen=True)
class ChatMeta:
    """The machine-readable `<chat xmlns="urn:tiski:desk:1"/>` element of a message."""

    session: str
    library: str = ""
    lang: str = ""
    state: ChatStateName = ChatStateName.QUEUED
    owner: str = ""
    kind: str = ""
    page: str = ""
    position: int | None = None
    waiting_since: datetime | None = None
    tags: tuple[str, ...] = ()
    from_target: str = ""
    target: str = ""
    msg_id: str = ""
    sender: str = ""
    name: str = ""
    followup: str = ""  # the follow-up's number (kind followup)
    by: str = ""  # who ended the chat (kind ended): patron, desk or bridge
    left_at: datetime | None = None  # when the patron left (kind patron_left)


@dataclass(frozen=True)
class Line:
    """One line of a chat's transcript."""

    session: str
    ts: datetime
    sender: str  # patron, librarian, bot, system, note
    name: str
    text: str
    msg_id: str = ""
    mark: Mark = Mark.NONE  # delivery of this seat's own lines

    @property
    def pending(self) -> bool:
        """Written here and not yet confirmed by the bridge."""
        return self.mark.pending


@dataclass(frozen=True)
class ChatEvent:
    """Base of everything the bridge tells a desk about one chat."""

    meta: ChatMeta
    body: str = ""

    @property
    def session(self) -> str:
        return self.meta.session


@dataclass(frozen=True)
class ChatOffered(ChatEvent):
    """A new, transferred or still-waiting chat is offered to this desk (kinds offer, reminder)."""


@dataclass(frozen=True)
class ChatLine(ChatEvent):
    """A line of the chat (from the patron, the bot or another seat)."""

    line: Line | None = None


@dataclass(frozen=True)
class ChatTaken(ChatEvent):
    """Another seat took the chat; `meta.owner` says which."""


@dataclass(frozen=True)
class ChatAccepted(ChatEvent):
    """This seat owns the chat now."""


@dataclass(frozen=True)
class ChatTransferred(ChatEvent):
    """The chat left this desk for `meta.target`."""


@dataclass(frozen=True)
class ChatReleased(ChatEvent):
    """The owner let go of the chat; it waits again."""


@dataclass(frozen=True)
class ChatEnded(ChatEvent):
    """The chat ended."""


@dataclass(frozen=True)
class ChatWithdrawn(ChatEvent):
    """The patron left before anyone answered: the chat is no longer offered."""


@dataclass(frozen=True)
class ChatPatronLeft(ChatEvent):
    """The patron of an owned chat closed the page or lost the connection (`meta.left_at`)."""


@dataclass(frozen=True)
class ChatPatronBack(ChatEvent):
    """The patron who had left is back in the chat."""


@dataclass(frozen=True)
class ChatTagged(ChatEvent):
    """The chat's tags changed; `meta.tags` holds them all."""


@dataclass(frozen=True)
class ChatNote(ChatEvent):
    """An internal note on the chat (never shown to the patron)."""


@dataclass(frozen=True)
class ChatInfo(ChatEvent):
    """The bridge's answer to a text command, or other information."""


@dataclass(frozen=True)
class ChatFollowup(ChatEvent):
    """A patron left a message: follow-up `meta.followup` waits for a desk (not a live chat)."""


@dataclass(frozen=True)
class Typing:
    """The patron's chat state changed (composing, paused, active, inactive, gone)."""

    session: str
    state: str


@dataclass(frozen=True)
class ConnectionChanged:
    """The link to the server changed; `detail` explains, e.g. why it stopped."""

    link: Link
    detail: str = ""
    retry_in: float | None = None
    conflict: bool = False


@dataclass(frozen=True)
class LineMarked:
    """The bridge confirmed one of this seat's lines (`mark` STORED or DELIVERED) or refused it."""

    session: str
    line_id: str
    mark: Mark
    reason: str = ""  # why it failed (FAILED)


@dataclass(frozen=True)
class BridgeChanged:
    """Whether the bridge component answers (XEP-0199 ping to its JID); the server may be fine."""

    up: bool
    detail: str = ""


DeskEvent = ChatEvent | Typing | ConnectionChanged | LineMarked | BridgeChanged

KIND_EVENTS: dict[str, type[ChatEvent]] = {
    Kind.OFFER: ChatOffered,
    Kind.REMINDER: ChatOffered,
    Kind.LINE: ChatLine,
    Kind.TAKEN: ChatTaken,
    Kind.ACCEPTED: ChatAccepted,
    Kind.TRANSFERRED: ChatTransferred,
    Kind.RELEASED: ChatReleased,
    Kind.ENDED: ChatEnded,
    Kind.WITHDRAWN: ChatWithdrawn,
    Kind.PATRON_LEFT: ChatPatronLeft,
    Kind.PATRON_BACK: ChatPatronBack,
    Kind.TAGGED: ChatTagged,
    Kind.NOTE: ChatNote,
    Kind.INFO: ChatInfo,
    Kind.FOLLOWUP: ChatFollowup,
}


@dataclass(frozen=True)
class CommandResult:
    """The result form of an ad-hoc command."""

    ok: bool
    message: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A library or pool a chat can be transferred to (the `desks` command)."""

    id: str
    kind: str  # library | pool
    name: str
    available: int = 0
    seats: tuple[str, ...] = ()
    on_duty: bool = False
    phone: str = ""


@dataclass(frozen=True)
class Tag:
    """A tag of the bridge's tag list, in the list's order."""

    number: int
    id: str
    name: str
    name_fi: str = ""
    name_en: str = ""
    name_sv: str = ""

    def label(self, lang: str) -> str:
        """The name in the UI language when the bridge gave it, else its own `name`."""
        return {"fi": self.name_fi, "sv": self.name_sv}.get(lang, self.name_en) or self.name


@dataclass(frozen=True)
class ChatSummary:
    """One row of the `chats` command: an open or waiting chat."""

    session: str
    state: ChatStateName
    library: str = ""
    target: str = ""
    owner: str = ""
    waiting_since: datetime | None = None
    first_line: str = ""
    tags: tuple[str, ...] = ()


class FollowupStatus(Enum):
    """Where a follow-up is (docs/followups.md)."""

    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    CLOSED = "closed"

    @classmethod
    def parse(cls, value: str) -> FollowupStatus:
        try:
            return cls(value)
        except ValueError:
            return cls.OPEN


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Followup:
    """One row of the `followups` command: a message a patron left for a library."""

    id: str
    library: str
    ts: datetime | None
    text: str
    contact: str = ""
    status: FollowupStatus = FollowupStatus.OPEN
    claimed_by: str = ""

    @property
    def email(self) -> str:
        """The e-mail address in the contact details (the bridge mails the answer there), or ""."""
        found = _EMAIL.search(self.contact)
        return found.group(0) if found else ""


@dataclass(frozen=True)
class Stats:
    """The `stats` command's figures for a desk or the whole service."""

    scope: str  # desk | service
    conversations: int = 0
    answered: int = 0
    unanswered: int = 0
    left_message: int = 0
    interrupted: int = 0
    wait_median: float | None = None  # seconds
    wait_p90: float | None = None
    by_tag: tuple[tuple[str, int], ...] = ()
    by_weekday: tuple[tuple[str, int], ...] = ()  # mon … sun


EventSink = Callable[[DeskEvent], None]


class DeskBackend(Protocol):
    """What the console needs from a desk client; xmpp.DeskClient is the real one."""

    jid: str  # this seat's full JID

    def set_sink(self, sink: EventSink) -> None:
        """Deliver events to `sink` (called on the event loop's thread)."""

    @property
    def connected(self) -> bool: ...

    async def start(self) -> None:
        """Connect and keep reconnecting until stop()."""

    async def stop(self) -> None:
        """Disconnect for good."""

    async def send_line(self, session: str, text: str, line_id: str) -> str:
        """Send a reply with the console's id (sent again with the same id, the bridge keeps it once).

        Returns the id; raises NotConnected. The bridge's confirmation comes as LineMarked.
        """

    async def send_typing(self, session: str, state: str) -> None:
        """Send an XEP-0085 chat state (composing, paused, active)."""

    async def accept(self, session: str) -> CommandResult: ...

    async def tag(self, session: str, tags: Sequence[str]) -> CommandResult: ...

    async def untag(self, session: str, tags: Sequence[str]) -> CommandResult: ...

    async def transfer(self, session: str, target: str) -> CommandResult: ...

    async def end(self, session: str) -> CommandResult: ...

    async def note(self, session: str, text: str) -> CommandResult: ...

    async def canned_keys(self) -> list[tuple[str, str]]:
        """The bridge's own canned answers as (key, title), for seats without a canned file."""

    async def canned(self, session: str, key: str) -> CommandResult:
        """Have the bridge send its canned answer `key` to the patron."""

    async def chats(self) -> list[ChatSummary]: ...

    async def desks(self) -> list[Target]: ...

    async def tags(self) -> list[Tag]: ...

    async def transcript(self, session: str) -> list[Line]: ...

    async def followups(self) -> list[Followup]:
        """The follow-ups this seat may see that are not closed, oldest first."""

    async def followup_claim(self, followup_id: str) -> CommandResult: ...

    async def followup_answer(self, followup_id: str, text: str) -> CommandResult:
        """Answer; the bridge e-mails it when the patron left an address."""

    async def followup_close(self, followup_id: str) -> CommandResult: ...

    async def stats(self, scope: str, first: str = "", last: str = "") -> Stats:
        """Figures for `scope` (desk or service) between the months or days `first` and `last`.

        Raises CommandFailed with the bridge's reason when it refuses (service scope for a
        desk that is not a coordinator).
        """
