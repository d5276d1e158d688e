"""Every transition of a chat's life, against a fake store and a manual clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bridge.chat import ChatState
from bridge.chats.live import LiveChats
from bridge.chats.transitions import Transitions
from bridge.clock import ManualClock
from bridge.storage import ChatSession
from tests.bridge.chats.fakes import FakeStore, chat

T0 = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


@pytest.fixture
def parts() -> tuple[Transitions, FakeStore, LiveChats, ManualClock]:
    store, chats, clock = FakeStore(), LiveChats(), ManualClock(T0)
    return Transitions(store, clock, chats), store, chats, clock


async def test_queue_while_open_sets_the_waiting_time_once(parts) -> None:
    t, store, chats, clock = parts
    c = chat()
    chats.add(c)
    await t.queue(c, open_now=True)
    assert c.state is ChatState.QUEUED and c.queued_at == "2026-11-23T08:30:00.000Z"
    assert store.last_state()[1:3] == (ChatState.QUEUED, "queued")
    clock.advance(60)
    await t.queue(c, open_now=True)
    assert c.queued_at == "2026-11-23T08:30:00.000Z"  # still waiting since the first time


async def test_queue_while_closed_goes_to_closed_without_a_waiting_time(parts) -> None:
    t, store, chats, _ = parts
    c = chat()
    chats.add(c)
    await t.queue(c, open_now=False)
    assert c.state is ChatState.CLOSED and c.queued_at is None
    assert store.last_state()[2] == "closed"


async def test_close_for_timeout(parts) -> None:
    t, store, _chats, _ = parts
    c = chat(state=ChatState.QUEUED, queued_at="x")
    await t.close_for_timeout(c)
    assert c.state is ChatState.CLOSED
    assert store.last_state()[3]["data"] == {"reason": "queue_timeout"}


async def test_leave_message_keeps_the_text_and_closes(parts) -> None:
    t, store, _, _ = parts
    c = chat(state=ChatState.QUEUED)
    await t.leave_message(c, "soittakaa", "040 123")
    assert store.left == [("p-aaaa", "soittakaa", "040 123")] and c.state is ChatState.CLOSED


async def test_route_to_writes_only_a_change(parts) -> None:
    t, store, _, _ = parts
    c = chat(state=ChatState.QUEUED, target="tampere")
    await t.route_to(c, "tampere")
    assert store.writes == []
    await t.route_to(c, "pool-1")
    assert c.target == "pool-1" and store.writes == [("update", ("p-aaaa", {"target": "pool-1"}))]


async def test_accept_owns_and_counts_the_seat(parts) -> None:
    t, store, chats, _ = parts
    c = chat(state=ChatState.QUEUED, queued_at="x")
    chats.add(c)
    assert await t.accept(c, "tampere@chat/desk-1") is None
    assert c.state is ChatState.ACTIVE and c.owner == "tampere@chat/desk-1"
    assert c.answered_at == "2026-11-23T08:30:00.000Z"
    assert chats.owned == {"tampere@chat/desk-1": 1}
    assert store.last_state()[2] == "accepted"


async def test_take_over_by_a_colleague_moves_the_count(parts) -> None:
    t, store, chats, _ = parts
    c = chat(state=ChatState.ACTIVE, owner="tampere@chat/desk-1", answered_at="a")
    chats.add(c)
    assert await t.accept(c, "tampere@chat/desk-2") == "tampere@chat/desk-1"
    assert chats.owned == {"tampere@chat/desk-2": 1}
    assert c.answered_at == "a"  # the first answer stays the first answer
    assert store.last_state()[2] == "taken_over"


async def test_release_keeps_the_queue_place(parts) -> None:
    t, _, chats, _ = parts
    c = chat(state=ChatState.ACTIVE, owner="tampere@chat/desk-1", queued_at="q", target="pool-1")
    chats.add(c)
    await t.release(c, "tampere@chat/desk-1", "tampere")
    assert (c.state, c.owner, c.queued_at, c.target) == (ChatState.QUEUED, None, "q", "tampere")
    assert c.transferred_from == "pool-1" and chats.owned == {}


async def test_transfer_keeps_the_waiting_time(parts) -> None:
    t, store, chats, _ = parts
    c = chat(state=ChatState.ACTIVE, owner="tampere@chat/desk-1", queued_at="q")
    chats.add(c)
    await t.transfer(c, "tampere@chat/desk-1", "nokia", "tampere")
    assert (c.state, c.owner, c.target, c.queued_at) == (ChatState.QUEUED, None, "nokia", "q")
    assert store.last_state()[3]["data"] == {"from": "tampere", "to": "nokia"}


async def test_end_removes_the_chat_once(parts) -> None:
    t, store, chats, _ = parts
    c = chat(state=ChatState.ACTIVE, owner="tampere@chat/desk-1")
    chats.add(c)
    assert await t.end(c, "tampere@chat/desk-1", "desk") is True
    assert c.state is ChatState.ENDED and c.ended_at == T0 and "p-aaaa" not in chats
    assert chats.owned == {}
    assert await t.end(c, None, "patron") is False
    assert len([w for w in store.writes if w[0] == "state"]) == 1


async def test_gone_and_back_change_the_queue_places(parts) -> None:
    t, _, chats, clock = parts
    first = chat("p-1", state=ChatState.QUEUED, queued_at="1")
    second = chat("p-2", state=ChatState.QUEUED, queued_at="2")
    chats.add(first)
    chats.add(second)
    assert chats.position(second) == 2
    t.patron_gone(first, clock.now())
    assert chats.position(second) == 1  # a patron who has gone counts in nobody's place
    assert t.patron_back(first, clock.now()) is True
    assert chats.position(second) == 2 and first.gone_since is None


def test_keep_survives_until_the_patron_comes_back(parts) -> None:
    t, _, _, clock = parts
    c = chat(state=ChatState.ACTIVE, owner="x@y/z")
    t.patron_gone(c, clock.now())
    t.keep(c)
    assert c.kept
    t.patron_back(c, clock.now())
    assert not c.kept  # a later departure starts a new grace


def _row(c, **kw) -> ChatSession:  # type: ignore[no-untyped-def]
    values = {
        "id": c.id,
        "library": c.library,
        "lang": c.lang,
        "page": None,
        "state": c.state,
        "target": c.target,
        "owner": c.owner,
        "created_at": "2026-11-23T08:00:00.000Z",
        "queued_at": c.queued_at,
        "answered_at": c.answered_at,
        "ended_at": None,
        "last_seen_at": "2026-11-23T08:00:00.000Z",
    }
    return ChatSession(**{**values, **kw})


async def test_a_row_written_by_another_bridge_refreshes_the_live_view_without_a_write(parts) -> None:
    t, store, chats, _ = parts
    c = chat(state=ChatState.QUEUED, queued_at="2026-11-23T08:10:00.000Z")
    chats.add(c)
    assert not t.refresh(c, _row(c))  # the same row: nothing changes
    answered = "2026-11-23T08:20:00.000Z"
    assert t.refresh(c, _row(c, state=ChatState.ACTIVE, owner="t@x/1", answered_at=answered))
    assert (c.state, c.owner, c.answered_at) == (ChatState.ACTIVE, "t@x/1", answered)
    assert chats.owned == {"t@x/1": 1}
    assert t.refresh(c, _row(c, state=ChatState.ENDED, ended_at="2026-11-23T08:40:00.000Z"))
    assert c.id not in chats and chats.owned == {}
    assert c.ended_at == datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
    assert store.writes == []
