"""Every cell of the permission table, tried through the desk actions from each kind of seat.

The expected grid is written out here by hand (not derived from the table it checks).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bridge.chat import ChatState, LiveChat
from bridge.chats.live import LiveChats
from bridge.chats.permissions import Action
from bridge.clock import ManualClock
from bridge.desk import DeskActions
from bridge.errors import CommandError
from rota import load_roster

ROSTER = load_roster(Path(__file__).parents[2] / "data" / "rota.yaml")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

SEATS = {
    "owner": "tampere@chat.localhost/desk-1",
    "owner_desk": "tampere@chat.localhost/desk-2",
    "offered": "nokia@chat.localhost/desk-1",
    "coordinator": "coordinator@chat.localhost/laptop",
    "other": "akaa@chat.localhost/desk-1",
}

# phase → role → the actions allowed (every other action must be refused)
EXPECTED = {
    "waiting": {
        "offered": "reply accept tag untag note transcript transfer forward canned end faq",
        "coordinator": "transcript transfer",
        "other": "",
    },
    "owned": {
        "owner": "reply tag untag note transcript transfer forward canned end keep faq",
        "owner_desk": "accept tag untag note transcript",
        "offered": "",  # offered before, but someone has it now
        "coordinator": "transcript transfer",
        "other": "",
    },
    "ended": {
        "owner": "tag untag note transcript forward faq",
        "owner_desk": "tag untag note transcript",
        "offered": "",
        "coordinator": "transcript",
        "other": "",
    },
}


def make_chat(phase: str) -> LiveChat:
    chat = LiveChat(
        id="p-abcd", library="tampere", lang="fi", page=None, state=ChatState.QUEUED, target="nokia"
    )
    chat.offered = {SEATS["offered"]}
    if phase in ("owned", "ended"):
        chat.state, chat.owner = ChatState.ACTIVE, SEATS["owner"]
    if phase == "ended":
        chat.state, chat.ended_at = ChatState.ENDED, NOW - timedelta(minutes=1)
    return chat


SEAT_LANGS: dict[str, str] = {}  # a seat not named here reads English


def actions() -> DeskActions:
    config = SimpleNamespace(tag_after_end_seconds=900.0)
    service = SimpleNamespace(
        roster=ROSTER,
        clock=ManualClock(NOW),
        svc=SimpleNamespace(config=config),
        live=LiveChats(),
        seat_lang=lambda seat: SEAT_LANGS.get(seat, "en"),
    )
    return DeskActions(service)  # type: ignore[arg-type]


CELLS = [(phase, role, action) for phase, roles in EXPECTED.items() for role in roles for action in Action]


@pytest.mark.parametrize(("phase", "role", "action"), CELLS)
def test_permission_cell(phase: str, role: str, action: Action) -> None:
    allowed = action.value in EXPECTED[phase][role].split()
    desk = actions()
    chat = make_chat(phase)
    if allowed:
        desk.authorize(SEATS[role], chat, action)
    else:
        with pytest.raises(CommandError) as refused:
            desk.authorize(SEATS[role], chat, action)
        assert str(refused.value)  # a refusal always says why


def test_refusals_say_who_has_the_chat() -> None:
    desk = actions()
    with pytest.raises(CommandError, match=r"tampere@chat\.localhost/desk-1 has this chat"):
        desk.authorize(SEATS["other"], make_chat("owned"), Action.TRANSCRIPT)
    with pytest.raises(CommandError, match="send /accept to take it over"):
        desk.authorize(SEATS["owner_desk"], make_chat("owned"), Action.REPLY)
    with pytest.raises(CommandError, match="not offered to your desk"):
        desk.authorize(SEATS["other"], make_chat("waiting"), Action.ACCEPT)


def test_tagging_after_the_end_only_within_the_grace() -> None:
    desk = actions()
    chat = make_chat("ended")
    chat.ended_at = NOW - timedelta(seconds=901)
    with pytest.raises(CommandError, match="too long ago"):
        desk.authorize(SEATS["owner"], chat, Action.TAG)


def test_transcript_of_an_ended_chat_only_the_same_day() -> None:
    desk = actions()
    chat = make_chat("ended")
    desk.authorize(SEATS["owner"], chat, Action.TRANSCRIPT)
    chat.ended_at = NOW - timedelta(days=1)
    with pytest.raises(CommandError, match="only on the day"):
        desk.authorize(SEATS["owner"], chat, Action.TRANSCRIPT)


@pytest.mark.parametrize(
    ("lang", "owned", "not_offered"),
    [
        ("sv", "har den här chatten", "Den här chatten har inte erbjudits till din disk."),
        ("fi", "on ottanut tämän keskustelun", "Tätä keskustelua ei ole tarjottu tiskillesi."),
    ],
)
def test_refusals_are_in_the_seats_language(lang: str, owned: str, not_offered: str) -> None:
    SEAT_LANGS[SEATS["other"]] = lang
    try:
        desk = actions()
        with pytest.raises(CommandError) as refused:
            desk.authorize(SEATS["other"], make_chat("owned"), Action.TRANSCRIPT)
        assert str(refused.value).startswith(f"tampere@chat.localhost/desk-1 {owned}")
        with pytest.raises(CommandError, match=not_offered):
            desk.authorize(SEATS["other"], make_chat("waiting"), Action.ACCEPT)
        with pytest.raises(CommandError) as refused:
            desk.authorize(SEATS["other"], make_chat("ended"), Action.TAG)
        assert "has ended" not in str(refused.value) and str(refused.value)
    finally:
        SEAT_LANGS.clear()
