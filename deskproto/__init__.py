"""The desk protocol's definitions (CONTRACTS §7), written once.

The only code the bridge and the console share: names and values, no I/O. The bridge writes
these on every desk message; the console and the tests read them.
"""

from __future__ import annotations

import enum

DESK_NS = "urn:tiski:desk:1"
CHAT_ELEMENT = f"{{{DESK_NS}}}chat"  # ElementTree's name of <chat xmlns="urn:tiski:desk:1"/>


class ChatState(enum.StrEnum):
    """A chat's state, as the widget protocol (CONTRACTS §1) and the desk protocol name it."""

    BOT = "bot"  # automatic answers
    QUEUED = "queued"  # waiting for a librarian
    ACTIVE = "active"  # a librarian has it
    CLOSED = "closed"  # service closed or nobody reachable: leave a message
    ENDED = "ended"


WAITING = (ChatState.QUEUED, ChatState.CLOSED)


class Kind(enum.StrEnum):
    """What a desk message is about: the `kind` attribute of <chat/>."""

    OFFER = "offer"  # a new chat for this seat to take
    REMINDER = "reminder"  # still unclaimed
    LINE = "line"  # a line of the chat (the patron's, the bot's or a colleague's)
    TAKEN = "taken"  # another seat took it
    ACCEPTED = "accepted"  # this seat has it now (with the transcript so far)
    TRANSFERRED = "transferred"
    RELEASED = "released"  # its owner went offline; it is waiting again
    ENDED = "ended"
    WITHDRAWN = "withdrawn"  # the patron left before anyone answered; no longer offered
    PATRON_LEFT = "patron_left"  # the patron of an owned chat closed the page
    PATRON_BACK = "patron_back"
    TAGGED = "tagged"
    NOTE = "note"
    INFO = "info"  # the answer to a command, or a refusal: never a line of the chat
    FOLLOWUP = "followup"


# Attributes the bridge may put on <chat/>, beside `session` and `kind`.
ATTRIBUTES = (
    "session",
    "kind",
    "library",
    "lang",
    "state",
    "owner",
    "page",
    "position",
    "waiting_since",
    "tags",
    "from_target",
    "target",
    "msg_id",
    "sender",
    "name",
    "followup",
    "left_at",
)
