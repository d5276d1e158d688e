"""Who may do what to a chat: one table, enforced by the desk actions, documented in
docs/desk-protocol.md. Pure: no I/O.

Before anyone owns a chat, the desks it is offered to may take it; once owned, only the seats of
the owning desk account act on it (a colleague at the same account takes it over explicitly);
coordinators may read and transfer; after the end, the owning account may still tag it for a
while and read it the same day.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from slixmpp import JID

from bridge.desklang import say


class Action(enum.StrEnum):
    """Something a desk does to a chat."""

    REPLY = "reply"
    ACCEPT = "accept"  # take a waiting chat, or take over a colleague's at the same account
    TAG = "tag"
    UNTAG = "untag"
    NOTE = "note"
    TRANSCRIPT = "transcript"
    TRANSFER = "transfer"
    FORWARD = "forward"
    CANNED = "canned"
    END = "end"
    KEEP = "keep"  # keep a chat open although its patron has gone
    FAQ = "faq"  # mark the patron's question as an example for an FAQ entry


class Phase(enum.StrEnum):
    """Where a chat is in its life, as far as permissions go."""

    WAITING = "waiting"  # nobody owns it (bot, queued, closed)
    OWNED = "owned"
    ENDED = "ended"


class Role(enum.StrEnum):
    """How a seat stands to a chat."""

    OWNER = "the seat that has the chat"
    OWNER_DESK = "another seat of the desk account that has the chat"
    OFFERED = "a desk the chat is offered to"
    COORDINATOR = "a coordinator"
    OTHER = "any other desk"


_ALL = frozenset(Action)
_READ_AND_MOVE = frozenset({Action.TRANSCRIPT, Action.TRANSFER})

TABLE: dict[tuple[Phase, Role], frozenset[Action]] = {
    (Phase.WAITING, Role.OFFERED): _ALL - {Action.KEEP},
    (Phase.WAITING, Role.COORDINATOR): _READ_AND_MOVE,
    (Phase.WAITING, Role.OTHER): frozenset(),
    (Phase.OWNED, Role.OWNER): _ALL - {Action.ACCEPT},
    (Phase.OWNED, Role.OWNER_DESK): frozenset(
        {Action.ACCEPT, Action.TAG, Action.UNTAG, Action.NOTE, Action.TRANSCRIPT}
    ),
    (Phase.OWNED, Role.COORDINATOR): _READ_AND_MOVE,
    (Phase.OWNED, Role.OTHER): frozenset(),
    (Phase.ENDED, Role.OWNER): frozenset(
        {Action.TAG, Action.UNTAG, Action.NOTE, Action.TRANSCRIPT, Action.FORWARD, Action.FAQ}
    ),
    (Phase.ENDED, Role.OWNER_DESK): frozenset({Action.TAG, Action.UNTAG, Action.NOTE, Action.TRANSCRIPT}),
    (Phase.ENDED, Role.COORDINATOR): frozenset({Action.TRANSCRIPT}),
    (Phase.ENDED, Role.OTHER): frozenset(),
}


@dataclass(frozen=True)
class Standing:
    """What the table needs to know of a chat: its phase, its owner and the desks it is offered to."""

    phase: Phase
    owner: str | None
    offered_desks: frozenset[str]


def role_of(seat: str, standing: Standing, coordinators: frozenset[str]) -> Role:
    """The strongest role `seat` (a full JID) has for a chat."""
    desk = JID(seat).bare
    if standing.owner:
        if standing.owner == seat:
            return Role.OWNER
        if JID(standing.owner).bare == desk:
            return Role.OWNER_DESK
    elif desk in standing.offered_desks:
        return Role.OFFERED
    if desk in coordinators:
        return Role.COORDINATOR
    return Role.OTHER


def may(action: Action, role: Role, phase: Phase) -> bool:
    """True when the table lets `role` do `action` in `phase`."""
    if phase is Phase.WAITING and role in (Role.OWNER, Role.OWNER_DESK):
        role = Role.OFFERED  # cannot happen (no owner), but never refuse more than an offered desk
    if phase is not Phase.WAITING and role is Role.OFFERED:
        role = Role.OTHER
    return action in TABLE[(phase, role)]


def refusal(action: Action, role: Role, standing: Standing, lang: str = "en") -> str:
    """Why `role` may not do `action`, for the desk that tried, in its language."""
    doing = say(lang, f"action.{action.value}")
    if standing.phase is Phase.ENDED:
        return say(lang, "refuse.ended", role=say(lang, f"role.{role.name.lower()}"), action=doing)
    if standing.phase is Phase.OWNED:
        owner = standing.owner or say(lang, "refuse.someone")
        if role is Role.OWNER_DESK:
            return say(lang, "refuse.take_over", owner=owner)
        return say(lang, "refuse.owned", owner=owner, action=doing)
    if role is Role.COORDINATOR:
        return say(lang, "refuse.coordinator", action=doing)
    return say(lang, "refuse.not_offered")
