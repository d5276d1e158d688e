"""Two real bridges on one PostgreSQL act as one service (docs/cluster.md).

Each bridge has its own component domain on one private Prosody; the patron's socket is on
bridge A, and a desk writes to the chat through bridge B. Nothing passes between the two
bridges but PostgreSQL: the rows, the notifications and the leases.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bridge.chats.service import SERVICE_TIMERS
from tests.bridge.cluster.bridges import Cluster, until
from tests.support.patron import Patron

pytestmark = pytest.mark.prosody

TAMPERE, TAMPERE_2 = "tampere@chat.localhost", "tampere-2@chat.localhost"


async def _frames_until_pong(patron: Patron) -> list[dict[str, Any]]:
    """Every frame the patron has been sent so far (a ping's pong marks the end)."""
    await patron.send_frame({"type": "ping"})
    await patron.recv_type("pong")
    frames, patron.frames = patron.frames, []
    return frames


def _lines(frames: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "message"]


async def test_a_desk_line_written_on_one_bridge_reaches_the_socket_on_the_other_once(
    cluster: Cluster,
) -> None:
    a, _ = await cluster.start("a"), await cluster.start("b")
    desk = await cluster.desk(TAMPERE, via="b")
    patron = await cluster.patron(via="a")
    assert (await patron.say("Onko Sinuhe paikalla?"))["type"] == "ack"
    await patron.recv_type("state", state="queued")  # offered: now a desk may answer
    sid = await cluster.session_id()

    desk.say(cluster.jid("b", sid), "Hei! Katson heti.")
    got = await patron.recv_type("message")
    assert (got["from"], got["text"]) == ("librarian", "Hei! Katson heti.")
    await patron.recv_type("state", state="active")  # bridge B's accept reached bridge A's view
    desk.say(cluster.jid("b", sid), "Löytyi, hyllyssä 84.")
    assert (await patron.recv_type("message"))["text"] == "Löytyi, hyllyssä 84."

    # Bridge A's listening connection drops: it listens again and catches up from the cursor.
    bus: Any = a.cluster.bus
    pid = bus._conn.get_server_pid()
    await cluster.sql("SELECT pg_terminate_backend($1)", pid)
    await until(lambda: bus.reconnects == 1, "bridge A listens again")
    desk.say(cluster.jid("b", sid), "Varaanko sen?")
    assert (await patron.recv_type("message"))["text"] == "Varaanko sen?"
    assert _lines(await _frames_until_pong(patron)) == []  # nothing came twice
    stored = await cluster.sql("SELECT count(*) AS n FROM messages WHERE sender = 'librarian'")
    assert stored[0]["n"] == 3


async def test_two_desks_on_two_bridges_answering_one_chat_at_once_have_one_winner(cluster: Cluster) -> None:
    await cluster.start("a")
    await cluster.start("b")
    one = await cluster.desk(TAMPERE, via="a")
    two = await cluster.desk(TAMPERE_2, via="b")
    patron = await cluster.patron(via="a")
    await patron.say("Kuka ehtii ensin?")
    await patron.recv_type("state", state="queued")
    sid = await cluster.session_id()

    one.say(cluster.jid("a", sid), "Minä!")
    two.say(cluster.jid("b", sid), "Ei kun minä!")
    got = await patron.recv_type("message")
    await patron.recv_type("state", state="active")
    owner = (await cluster.sql("SELECT owner FROM sessions WHERE id = $1", sid))[0]["owner"]
    winner, loser = (one, two) if owner.startswith(TAMPERE + "/") else (two, one)
    assert got["text"] == ("Minä!" if winner is one else "Ei kun minä!")
    refused = await asyncio.wait_for(loser.errors.get(), 10)
    assert refused["error"]["condition"] == "not-acceptable"
    assert _lines(await _frames_until_pong(patron)) == []
    kinds = [r["kind"] for r in await cluster.sql("SELECT kind FROM events WHERE session_id = $1", sid)]
    assert kinds.count("accepted") == 1
    lines = await cluster.sql("SELECT text FROM messages WHERE sender = 'librarian'")
    assert [r["text"] for r in lines] == [got["text"]]


async def test_a_queue_time_out_fires_once_with_two_bridges(cluster: Cluster) -> None:
    limits = {"queue_timeout_seconds": 1}
    a, b = await cluster.start("a", limits), await cluster.start("b", limits)
    await until(lambda: a.service.holds("queue_timeout"), "bridge A, started first, holds the leases")
    patron = await cluster.patron(via="b")  # nobody is online: the chat waits, then closes
    await patron.say("Onko ketään?")
    await patron.recv_type("state", state="closed", timeout=30)
    rounds = (a.service.rounds, b.service.rounds)
    await until(
        lambda: a.service.rounds >= rounds[0] + 3 and b.service.rounds >= rounds[1] + 3,
        "three more rounds on both bridges",
    )
    closed = await cluster.sql("SELECT data FROM events WHERE kind = 'closed'")
    assert [r["data"] for r in closed] == ['{"reason": "queue_timeout"}']
    assert not b.service.holds("queue_timeout")


async def test_the_leases_move_to_the_other_bridge_when_one_stops(cluster: Cluster) -> None:
    limits = {"queue_timeout_seconds": 1}
    a, b = await cluster.start("a", limits), await cluster.start("b", limits)
    await until(lambda: all(a.service.holds(t) for t in SERVICE_TIMERS), "bridge A holds every lease")
    assert not any(b.service.holds(t) for t in SERVICE_TIMERS)
    await cluster.stop("a")  # a clean stop gives the leases back
    await until(lambda: all(b.service.holds(t) for t in SERVICE_TIMERS), "bridge B takes them")
    holders = await cluster.sql("SELECT DISTINCT holder FROM leases")
    assert [r["holder"] for r in holders] == [b.cluster.holder]
    patron = await cluster.patron(via="b")
    await patron.say("Onko ketään?")
    await patron.recv_type("state", state="closed", timeout=30)  # and its timers run there
