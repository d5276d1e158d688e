"""The store contract (bridge/storage.py), run against every implementation of `ChatStorage`.

Only the protocol's calls are used here: what passes for SQLite must pass for any other store.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.chat import ChatState
from bridge.clock import ManualClock
from bridge.errors import StoreError
from bridge.pgstore import PgStore
from bridge.storage import ChatStorage, FollowupStatus
from bridge.store import Store
from tests.bridge.pg import PrivatePostgres

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SEAT = "tampere@chat.example/desk-1"
LINE = "Korttini 2 1234 5678 9012, PINin 7531, hetu 131052-308T"


@dataclass
class Backend:
    """One implementation: `open` gives a store over the same data each time it is called."""

    name: str
    open: Callable[[ManualClock], Awaitable[ChatStorage]]
    dsn: str = ""  # PostgreSQL's


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", lambda clock: Store.open(tmp_path / "contract.sqlite3", clock))
    dsn = await request.getfixturevalue("postgres").new_database()
    return Backend("postgresql", lambda clock: PgStore.open(dsn, clock), dsn)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
async def store(backend: Backend, clock: ManualClock) -> AsyncIterator[ChatStorage]:
    s = await backend.open(clock)
    yield s
    await s.close()


async def _session(store: ChatStorage, sid: str = "p-abc", state: ChatState = ChatState.BOT) -> None:
    await store.create_session(sid, f"token-{sid}", "tampere", "fi", "https://library.example/", state)


# sessions


async def test_a_session_is_found_by_id_and_by_its_token_only(store: ChatStorage) -> None:
    made = await store.create_session("p-abc", "secret", "tampere", "fi", "https://l.example/", ChatState.BOT)
    assert made.created_at == made.last_seen_at == "2026-11-23T10:00:00.000Z"
    assert await store.session("p-abc") == made
    assert await store.session_by_token("secret") == made
    assert await store.session_by_token("secret ") is None
    assert await store.session("p-other") is None
    assert [e[1] for e in await store.events("p-abc")] == ["created"]


async def test_live_sessions_leave_out_ended_ones_oldest_first(
    store: ChatStorage, clock: ManualClock
) -> None:
    for sid in ("p-one", "p-two", "p-three"):
        await _session(store, sid)
        clock.advance(1)
    await store.set_state("p-two", ChatState.ENDED, "ended", ended_at=clock.stamp())
    assert [s.id for s in await store.live_sessions()] == ["p-one", "p-three"]


async def test_update_session_sets_only_the_columns_given(store: ChatStorage) -> None:
    await _session(store, "p-abc")
    await _session(store, "p-xyz")
    await store.update_session("p-abc", target="pool-1", state=ChatState.QUEUED)
    s = await store.session("p-abc")
    assert s is not None and (s.target, s.state, s.owner, s.page) == (
        "pool-1",
        ChatState.QUEUED,
        None,
        "https://library.example/",
    )
    other = await store.session("p-xyz")
    assert other is not None and (other.target, other.state) == (None, ChatState.BOT)


async def test_a_state_change_writes_columns_and_its_event_together(store: ChatStorage) -> None:
    await _session(store)
    await store.set_state(
        "p-abc",
        ChatState.ACTIVE,
        "accepted",
        seat=SEAT,
        desk="tampere@chat.example",
        data={"target": "tampere"},
        owner=SEAT,
        answered_at="2026-11-23T10:00:05.000Z",
    )
    s = await store.session("p-abc")
    assert s is not None and (s.state, s.owner, s.answered_at) == (
        ChatState.ACTIVE,
        SEAT,
        "2026-11-23T10:00:05.000Z",
    )
    ts, kind, seat, data = (await store.events("p-abc"))[-1]
    assert (ts, kind, seat) == ("2026-11-23T10:00:00.000Z", "accepted", SEAT)
    assert data is not None and json.loads(data) == {"target": "tampere"}


async def test_ending_a_chat_masks_its_lines_and_a_live_one_is_left_alone(store: ChatStorage) -> None:
    await _session(store, state=ChatState.ACTIVE)
    await store.add_message("p-abc", "m1", "patron", LINE)
    await store.set_state("p-abc", ChatState.QUEUED, "queued")
    assert [m.text for m in await store.history("p-abc")] == [LINE]
    await store.set_state("p-abc", ChatState.ENDED, "ended")
    assert [m.text for m in await store.history("p-abc")] == ["Korttini [kortti], PINin [PIN], hetu [hetu]"]


# lines


async def test_a_repeated_line_id_is_stored_once_and_the_first_is_returned(store: ChatStorage) -> None:
    await _session(store)
    first, new1 = await store.add_message("p-abc", "m1", "patron", "hei")
    again, new2 = await store.add_message("p-abc", "m1", "patron", "hei taas")
    assert new1 and not new2 and again == first
    assert [m.text for m in await store.history("p-abc")] == ["hei"]


async def test_history_keeps_order_names_seats_and_notes(store: ChatStorage, clock: ManualClock) -> None:
    await _session(store)
    await store.add_message("p-abc", "b1", "bot", "Aukioloajat …", name="Tiski")
    clock.advance(1)
    await store.add_message("p-abc", "m1", "patron", "Milloin olette auki?")
    await store.add_message("p-abc", "l-1", "librarian", "Huomenna 10-16.", name="Tampere", seat=SEAT)
    await store.add_message("p-abc", "n-1", "note", "kysyi aukioloista", seat=SEAT)
    lines = await store.history("p-abc")
    assert [(m.sender, m.name, m.seat) for m in lines] == [
        ("bot", "Tiski", None),
        ("patron", None, None),
        ("librarian", "Tampere", SEAT),
        ("note", None, SEAT),
    ]
    assert [m.seq for m in lines] == sorted({m.seq for m in lines})
    assert lines[1].ts == "2026-11-23T10:00:01.000Z"
    assert await store.first_patron_line("p-abc") == "Milloin olette auki?"


async def test_touch_moves_last_seen(store: ChatStorage, clock: ManualClock) -> None:
    await _session(store)
    clock.advance(30)
    await store.add_message("p-abc", "s1", "system", "…")
    s = await store.session("p-abc")
    assert s is not None and s.last_seen_at == "2026-11-23T10:00:00.000Z"
    await store.add_message("p-abc", "m1", "patron", "hei", touch=True)
    s = await store.session("p-abc")
    assert s is not None and s.last_seen_at == "2026-11-23T10:00:30.000Z"


async def test_a_line_for_an_unknown_session_is_refused_and_not_kept(store: ChatStorage) -> None:
    with pytest.raises(StoreError):
        await store.add_message("p-nobody", "m1", "patron", "hei")
    assert await store.history("p-nobody") == []


async def test_concurrent_lines_are_each_stored_once(store: ChatStorage) -> None:
    sessions = [f"p-{i}" for i in range(5)]
    for sid in sessions:
        await _session(store, sid)
    writes = [store.add_message(sessions[k % 5], f"m{k % 40}", "patron", f"line {k}") for k in range(80)]
    results = await asyncio.gather(*writes)
    assert sum(new for _, new in results) == 40
    for sid in sessions:
        ids = [m.msg_id for m in await store.history(sid)]
        assert len(ids) == len(set(ids)) == 8


async def _two_writers(backend: Backend, clock: ManualClock, lines: int) -> list[tuple[int, str]]:
    """Two stores on the same data (two bridges), four writers each, write `lines` lines per
    writer into one chat at once, each line twice (a resend); a third store follows the chat
    by its cursor meanwhile.

    Returns (line, msg_id) of every line the follower read, in the order it read them.
    """
    a, b, follower = [await backend.open(clock) for _ in range(3)]
    await _session(a)
    done = asyncio.Event()
    seen: list[tuple[int, str]] = []

    async def write(store: ChatStorage, name: str) -> None:
        for k in range(lines):
            first, new = await store.add_message("p-abc", f"{name}{k}", "patron", f"{name} {k}")
            again, repeated = await store.add_message("p-abc", f"{name}{k}", "patron", f"{name} {k}")
            assert new and not repeated and again == first

    async def follow() -> None:
        cursor = 0
        while True:
            finished = done.is_set()  # read once more after the writers are done
            for m in await follower.history("p-abc", after=cursor):
                seen.append((m.line, m.msg_id))
                cursor = m.line
            if finished:
                return
            await asyncio.sleep(0)

    reader = asyncio.create_task(follow())
    await asyncio.gather(
        *(write(store, f"{name}{w}-") for store, name in ((a, "a"), (b, "b")) for w in range(4))
    )
    done.set()
    await reader
    for store in (a, b, follower):
        await store.close()
    return seen


async def test_two_writers_number_a_chats_lines_without_gaps_and_a_cursor_misses_none(
    backend: Backend, clock: ManualClock
) -> None:
    seen = await _two_writers(backend, clock, 10)
    assert [line for line, _ in seen] == list(range(1, 81))  # each line once, none skipped
    written = [f"{name}{w}-{k}" for name in "ab" for w in range(4) for k in range(10)]
    assert sorted(msg_id for _, msg_id in seen) == sorted(written)
    store = await backend.open(clock)
    try:
        history = await store.history("p-abc")
        assert [m.line for m in history] == list(range(1, 81))
        assert [m.line for m in await store.history("p-abc", after=77)] == [78, 79, 80]
        m, new = await store.add_message("p-abc", "last", "librarian", "…", seat=SEAT)
        assert new and m.line == 81 and m.seq not in {h.seq for h in history}
    finally:
        await store.close()


async def test_a_chats_lines_commit_in_the_order_of_their_numbers(postgres: PrivatePostgres) -> None:
    """PostgreSQL's commit times (track_commit_timestamp) of a chat's lines, in line order."""
    import asyncpg

    dsn = await postgres.new_database()
    await _two_writers(Backend("postgresql", lambda clock: PgStore.open(dsn, clock)), ManualClock(T0), 15)
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT line, pg_xact_commit_timestamp(xmin) AS at FROM messages WHERE session_id = 'p-abc'"
            " ORDER BY line"
        )
    finally:
        await conn.close()
    assert [r["line"] for r in rows] == list(range(1, 121))
    times = [r["at"] for r in rows]
    assert times == sorted(times)


# events, tags


async def test_events_in_order_with_seat_and_data(store: ChatStorage, clock: ManualClock) -> None:
    await _session(store)
    clock.advance(2)
    await store.add_event("p-abc", "offered", data={"desks": ["tampere@chat.example"]})
    await store.add_event("p-abc", "forwarded", seat=SEAT, desk="tampere@chat.example")
    events = await store.events("p-abc")
    assert [(e[1], e[2]) for e in events] == [("created", None), ("offered", None), ("forwarded", SEAT)]
    assert events[1][0] == "2026-11-23T10:00:02.000Z"
    assert json.loads(events[1][3] or "null") == {"desks": ["tampere@chat.example"]}
    assert events[2][3] is None


async def test_tags_are_kept_once_in_order_and_removed(store: ChatStorage, clock: ManualClock) -> None:
    await _session(store)
    await store.add_tags("p-abc", ["login"], SEAT)
    clock.advance(1)
    await store.add_tags("p-abc", ["fees", "login"], SEAT)
    assert await store.tags("p-abc") == ["login", "fees"]
    await store.remove_tags("p-abc", ["login"], SEAT)
    assert await store.tags("p-abc") == ["fees"]
    kinds = [e[1] for e in await store.events("p-abc")]
    assert kinds.count("tagged") == 3 and kinds.count("untagged") == 1


# left messages and follow-ups


async def test_a_left_message_can_be_edited_until_a_desk_claims_it(store: ChatStorage) -> None:
    await _session(store, state=ChatState.CLOSED)
    await store.leave_message("p-abc", "Soittakaa", "040 123")
    assert await store.edit_left_message("p-abc", "Soittakaa huomenna", None)
    assert [(t, c) for t, c, _ in await store.left_messages("p-abc")] == [("Soittakaa huomenna", None)]
    f = await store.latest_followup("p-abc")
    assert f is not None
    await store.set_followup(
        f, FollowupStatus.CLAIMED, "followup_claimed", SEAT, "tampere@chat.example", {"claimed_by": SEAT}
    )
    assert not await store.edit_left_message("p-abc", "muutos", "x@example.org")
    assert [t for t, _, _ in await store.left_messages("p-abc")] == ["Soittakaa huomenna"]
    assert [e[1] for e in await store.events("p-abc")][-3:] == [
        "left_message",
        "left_message_edited",
        "followup_claimed",
    ]


async def test_followups_listed_by_status_claimed_answered_closed(store: ChatStorage) -> None:
    for sid in ("p-one", "p-two"):
        await _session(store, sid, ChatState.CLOSED)
        await store.leave_message(sid, f"viesti {sid}", "patron@example.org")
    first, second = await store.followups((FollowupStatus.OPEN,))
    assert (first.session_id, first.library, first.lang, first.text) == (
        "p-one",
        "tampere",
        "fi",
        "viesti p-one",
    )
    assert first.email == "patron@example.org" and first.status is FollowupStatus.OPEN
    assert await store.followup(second.id) == second
    assert await store.followup(second.id + 1000) is None

    answered_at = "2026-11-23T11:00:00.000Z"
    columns: dict[str, str | None] = {
        "answer": "Vastaus",
        "answered_by": SEAT,
        "answered_at": answered_at,
        "mailed_to": "patron@example.org",
        "claimed_by": SEAT,
        "claimed_at": answered_at,
    }
    await store.set_followup(first, FollowupStatus.ANSWERED, "followup_answered", SEAT, "tampere@x", columns)
    got = await store.followup(first.id)
    assert got is not None and (
        got.status,
        got.claimed_by,
        got.answered_by,
        got.answered_at,
        got.mailed_to,
    ) == (
        FollowupStatus.ANSWERED,
        SEAT,
        SEAT,
        answered_at,
        "patron@example.org",
    )
    _, kind, seat, data = (await store.events("p-one"))[-1]
    assert (kind, seat) == ("followup_answered", SEAT)
    assert json.loads(data or "{}") == {"followup": first.id, "to": "patron@example.org"}

    await store.set_followup(
        got, FollowupStatus.CLOSED, "followup_closed", SEAT, "tampere@x", {"closed_by": SEAT}
    )
    closed = await store.followup(first.id)
    assert closed is not None and closed.status is FollowupStatus.CLOSED and closed.answered_by == SEAT
    assert [f.id for f in await store.followups((FollowupStatus.OPEN, FollowupStatus.ANSWERED))] == [
        second.id
    ]
    assert [f.id for f in await store.followups(tuple(FollowupStatus))] == [first.id, second.id]


async def test_latest_followup_is_the_newest_left_message(store: ChatStorage) -> None:
    await _session(store, state=ChatState.CLOSED)
    assert await store.latest_followup("p-abc") is None
    await store.leave_message("p-abc", "eka", None)
    await store.leave_message("p-abc", "toka", None)
    latest = await store.latest_followup("p-abc")
    assert latest is not None and latest.text == "toka" and latest.contact is None and latest.email is None


# ratings, health, durability


async def test_a_chat_is_rated_once(store: ChatStorage) -> None:
    await _session(store, state=ChatState.ENDED)
    assert await store.rating("p-abc") is None
    assert await store.add_rating("p-abc", 5, "Kiitos!")
    assert not await store.add_rating("p-abc", 1, None)
    assert await store.rating("p-abc") == (5, "Kiitos!")


async def test_write_check_passes_on_a_working_store(store: ChatStorage) -> None:
    assert await store.write_check() is None


async def test_everything_survives_closing_and_opening_again(backend: Backend, clock: ManualClock) -> None:
    store = await backend.open(clock)
    await _session(store)
    await store.add_message("p-abc", "m1", "patron", "hei")
    await store.add_tags("p-abc", ["login"], None)
    await store.leave_message("p-abc", "viesti", None)
    await store.close()
    again = await backend.open(clock)
    try:
        assert (await again.session_by_token("token-p-abc")) is not None
        assert [m.text for m in await again.history("p-abc")] == ["hei"]
        assert await again.tags("p-abc") == ["login"]
        assert [t for t, _, _ in await again.left_messages("p-abc")] == ["viesti"]
        _, new = await again.add_message("p-abc", "m1", "patron", "hei")
        assert not new
    finally:
        await again.close()


# a database from before line numbers

OLD_LAYOUT = [
    "CREATE TABLE sessions (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, library TEXT NOT NULL,"
    " lang TEXT NOT NULL, page TEXT, state TEXT NOT NULL, target TEXT, owner TEXT, created_at TEXT NOT NULL,"
    " queued_at TEXT, answered_at TEXT, ended_at TEXT, last_seen_at TEXT NOT NULL)",
    "CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " session_id TEXT NOT NULL REFERENCES sessions(id), msg_id TEXT NOT NULL, sender TEXT NOT NULL,"
    " name TEXT, seat TEXT, text TEXT NOT NULL, ts TEXT NOT NULL,"
    " UNIQUE (session_id, msg_id))",
    "CREATE TABLE left_messages (seq INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id),"
    " text TEXT NOT NULL, contact TEXT, ts TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open')",
    "CREATE TABLE privacy_marks (session_id TEXT PRIMARY KEY REFERENCES sessions(id),"
    " redacted_through INTEGER NOT NULL DEFAULT 0, anonymised_at TEXT)",
    "INSERT INTO sessions VALUES ('p-one', 'h1', 'tampere', 'fi', NULL, 'ended', NULL, NULL, 't', NULL, NULL,"
    " 't', 't'), ('p-two', 'h2', 'tampere', 'fi', NULL, 'active', NULL, NULL, 't', NULL, NULL, NULL, 't')",
    # rows 1–5 alternate between the chats; p-one was masked through its second line (row 3)
    "INSERT INTO messages (session_id, msg_id, sender, text, ts) VALUES ('p-one', 'm1', 'patron', 'a', 't'),"
    " ('p-two', 'm1', 'patron', 'b', 't'), ('p-one', 'm2', 'patron', 'c', 't'),"
    " ('p-two', 'm2', 'patron', 'd', 't'), ('p-one', 'm3', 'patron', 'e', 't')",
    "INSERT INTO privacy_marks VALUES ('p-one', 3, NULL)",
]


async def test_a_database_from_before_line_numbers_gets_them(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock, backend: Backend
) -> None:
    if backend.name == "sqlite":
        with sqlite3.connect(tmp_path / "contract.sqlite3") as db:
            for statement in OLD_LAYOUT:
                db.execute(statement)
    else:
        import asyncpg

        conn = await asyncpg.connect(backend.dsn)
        try:
            for statement in OLD_LAYOUT:
                await conn.execute(statement.replace("AUTOINCREMENT", "GENERATED BY DEFAULT AS IDENTITY"))
        finally:
            await conn.close()
    store = await backend.open(clock)
    try:
        assert [(m.line, m.msg_id) for m in await store.history("p-one")] == [(1, "m1"), (2, "m2"), (3, "m3")]
        assert [(m.line, m.text) for m in await store.history("p-two", after=1)] == [(2, "d")]
        m, _ = await store.add_message("p-two", "m3", "librarian", "f", seat=SEAT)
        assert m.line == 3
        # the mark now counts lines: p-one's third line is masked by the next retention run only
        from bridge.privacy import apply_retention

        target = str(tmp_path / "contract.sqlite3") if backend.name == "sqlite" else backend.dsn
        result = await apply_retention(target, now=T0, retention_days=3650)
        assert (result.redacted_chats, result.redacted_lines) == (1, 0)
    finally:
        await store.close()


async def test_a_state_change_that_expects_the_row_is_written_only_while_the_row_holds(
    store: ChatStorage,
) -> None:
    await _session(store, state=ChatState.QUEUED)
    free = {"owner": None, "ended_at": None}
    assert await store.set_state("p-abc", ChatState.ACTIVE, "accepted", seat=SEAT, expect=free, owner=SEAT)
    other = "tampere@chat.example/desk-2"
    assert not await store.set_state(
        "p-abc", ChatState.ACTIVE, "accepted", seat=other, expect=free, owner=other
    )
    s = await store.session("p-abc")
    assert s is not None and s.owner == SEAT and s.state is ChatState.ACTIVE
    assert [e[1] for e in await store.events("p-abc")] == ["created", "accepted"]
    assert not await store.set_state("p-abc", ChatState.CLOSED, "closed", expect={"state": ChatState.QUEUED})
    assert await store.set_state("p-abc", ChatState.CLOSED, "closed", expect={"state": ChatState.ACTIVE})
    assert await store.set_state("p-abc", ChatState.ENDED, "ended")  # no expectation: always
