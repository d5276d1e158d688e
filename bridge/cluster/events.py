"""What the bridges tell each other: small typed events, carried as `kind id …` text (ids only).

A payload names what changed, never its content: the receiver reads the content from the store,
so a notification that is lost or late costs a delay, never a wrong line. A payload may end with
`@BRIDGE`, the name of the bridge whose write it announces: that bridge has handled it already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bridge.storage import ChatMessage

CHANNEL = "tiski"
# Lines no patron socket is sent as they come (their own lines are acknowledged instead): the
# bus does not announce them, and a socket's cursor moves past them with the next line.
UNTOLD_SENDERS = frozenset({"patron", "note"})
TYPING_STATES = frozenset({"composing", "paused", "active", "inactive", "gone"})


class BadEvent(ValueError):
    """A payload that is not one of the bus's events; the message quotes it."""


@dataclass(frozen=True)
class LineEvent:
    """A line of a chat was committed with this line number."""

    session_id: str
    line_no: int
    # The line itself, when it was written in this process (never sent over the wire): the
    # receiver can skip reading it back from the store.
    message: ChatMessage | None = field(default=None, compare=False, repr=False)
    extra: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # frame fields


@dataclass(frozen=True)
class ChatEvent:
    """A chat's row changed (state, owner, target, times): read it again."""

    session_id: str


@dataclass(frozen=True)
class SeatEvent:
    """A desk seat's presence changed."""

    seat: str


@dataclass(frozen=True)
class PatronEvent:
    """A bridge took or lost a socket of a chat's patron: ask the store whether it is there."""

    session_id: str


@dataclass(frozen=True)
class TypingEvent:
    """A patron or a desk is typing in a chat (not stored: a lost one is harmless)."""

    session_id: str
    state: str


Event = LineEvent | ChatEvent | SeatEvent | PatronEvent | TypingEvent


@dataclass(frozen=True)
class Notice:
    """An event as it travels: what happened, and which bridge's write it announces ("": unknown)."""

    event: Event
    origin: str = ""


def _id(text: str, payload: str) -> str:
    if not text or any(c.isspace() for c in text):
        raise BadEvent(f"bus payload {payload!r}: {text!r} is not an id")
    return text


def format_event(event: Event, origin: str = "") -> str:
    """The payload of a notification for `event` (written by bridge `origin`, if given)."""
    text = _format(event)
    return f"{text} @{_id(origin, origin)}" if origin else text


def _format(event: Event) -> str:
    match event:
        case LineEvent(session_id, line_no):
            return f"line {_id(session_id, session_id)} {int(line_no)}"
        case ChatEvent(session_id):
            return f"chat {_id(session_id, session_id)}"
        case SeatEvent(seat):
            return f"seat {_id(seat, seat)}"
        case PatronEvent(session_id):
            return f"patron {_id(session_id, session_id)}"
        case TypingEvent(session_id, state):
            return f"typing {_id(session_id, session_id)} {_id(state, state)}"
    raise BadEvent(f"not a bus event: {event!r}")


def parse_notice(payload: str) -> Notice:
    """The event a payload carries and its origin; BadEvent if it is not one."""
    head, _, origin = payload.partition(" @")
    if origin and (not origin.strip() or any(c.isspace() for c in origin)):
        raise BadEvent(f"bus payload {payload!r}: {origin!r} is not a bridge's name")
    return Notice(parse_event(head), origin)


def parse_event(payload: str) -> Event:
    """The event a payload carries (without an origin); BadEvent if it is not one."""
    kind, *args = payload.split(" ")
    match kind, args:
        case "line", [session_id, number] if number.isdigit():
            return LineEvent(_id(session_id, payload), int(number))
        case "chat", [session_id]:
            return ChatEvent(_id(session_id, payload))
        case "seat", [seat]:
            return SeatEvent(_id(seat, payload))
        case "patron", [session_id]:
            return PatronEvent(_id(session_id, payload))
        case "typing", [session_id, state] if state in TYPING_STATES:
            return TypingEvent(_id(session_id, payload), state)
    raise BadEvent(
        f"bus payload {payload!r}: expected `line SESSION N`, `chat SESSION`, `seat SEAT`, `patron SESSION`"
        " or `typing SESSION STATE`"
    )
