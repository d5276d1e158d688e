"""Presence across two real bridges on one PostgreSQL: ejabberd gives a desk's presence to one
bridge and HAProxy a patron's socket to any, so each bridge must learn the rest from the store.

Without it, a bridge holding a patron's socket does not know that the desk on duty is online
(the chat just waits), and the bridge that runs the expiry never learns that a patron on the
other bridge has gone (the chat stays open for ever)."""

from __future__ import annotations

import pytest

from tests.bridge.cluster.bridges import Cluster, until
from tests.support.patron import Patron

pytestmark = pytest.mark.prosody

TAMPERE = "tampere@chat.localhost"


async def test_a_desk_seen_by_one_bridge_is_offered_chats_from_the_other(cluster: Cluster) -> None:
    a, _ = await cluster.start("a"), await cluster.start("b")
    # As ejabberd does with several bridges on one component: desks' presence reaches one of
    # them (here B). Prosody would give it to both, so bridge A's component stops listening.
    assert a.component is not None
    for show in ("available", "chat", "away", "xa", "dnd"):
        a.component.del_event_handler(f"presence_{show}", a.component._on_available)
    a.component.del_event_handler("presence_unavailable", a.component._on_unavailable)
    desk = await cluster.desk(TAMPERE, via="b")
    await until(lambda: bool(a.service.seats.offerable_seats(TAMPERE)), "bridge A knows the desk is there")
    patron = await cluster.patron(via="a")
    assert (await patron.say("Onko Sinuhe paikalla?"))["type"] == "ack"
    offer = await desk.next_message("offer", timeout=30)
    assert offer.session == await cluster.session_id()
    assert offer.frm.split("@", 1)[1].startswith(cluster.components["a"])  # bridge A offered it

    await desk.close()  # the desk goes offline at bridge B: bridge A learns that too
    await until(lambda: not a.service.seats.offerable_seats(TAMPERE), "bridge A knows the desk left")


async def test_a_patron_gone_from_one_bridge_is_expired_by_the_bridge_with_the_lease(
    cluster: Cluster,
) -> None:
    a = await cluster.start("a", interrupted_grace_seconds=1)
    await until(lambda: a.service.holds("expiry"), "bridge A, started first, holds the expiry lease")
    b = await cluster.start("b", interrupted_grace_seconds=1)
    patron = await cluster.patron(via="b")
    await patron.say("Hei, onko ketään?")
    sid = await cluster.session_id()
    await until(lambda: sid in a.service.chats, "bridge A knows the chat")
    rounds = a.service.rounds
    await until(lambda: a.service.rounds >= rounds + 3, "three rounds of bridge A")
    assert a.service.chats[sid].gone_since is None  # the patron is there, on bridge B
    state = await cluster.sql("SELECT state FROM sessions WHERE id = $1", sid)
    assert state[0]["state"] == "queued"

    await patron.close()  # the patron leaves through bridge B; bridge A ends the chat after the grace
    await until(lambda: sid not in a.service.chats, "bridge A ended the abandoned chat")
    ended = await cluster.sql("SELECT state, ended_at FROM sessions WHERE id = $1", sid)
    assert ended[0]["state"] == "ended" and ended[0]["ended_at"] is not None
    assert not b.service.holds("expiry")


async def test_a_patron_with_a_socket_on_each_bridge_is_there_until_both_close(cluster: Cluster) -> None:
    a, b = (
        await cluster.start("a", interrupted_grace_seconds=1),
        await cluster.start("b", interrupted_grace_seconds=1),
    )
    desk = await cluster.desk(TAMPERE, via="a")
    first = await cluster.patron(via="a")
    await first.say("Hei")
    sid = await cluster.session_id()
    offer = await desk.next_message("offer", timeout=30)
    desk.say(offer.frm.split("/", 1)[0], "/accept")
    await first.recv_type("state", state="active", timeout=30)
    tab = Patron(  # the same patron in a second tab, through bridge B
        f"ws://127.0.0.1:{b.port}/ws", "tampere", "fi", origin=None
    )
    cluster.clients.append(tab)
    await tab.connect()
    await tab.hello(first.token)
    await first.close()  # one tab closes: the patron is still there, the owner is not told
    rounds = a.service.rounds
    await until(lambda: a.service.rounds >= rounds + 3, "three rounds of bridge A")
    assert sid in a.service.chats and a.service.chats[sid].gone_since is None
    with pytest.raises(TimeoutError):
        await desk.next_message("patron_left", timeout=1.0)
    await tab.close()  # the last tab closes: now the owner is told
    left = await desk.next_message("patron_left", timeout=30)
    assert left.session == sid
