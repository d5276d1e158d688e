"""Tiski on two ejabberd nodes with several bridges behind HAProxy (CONTRACTS §8).

The tests share one cluster and run in this order: what it reports, a chat across the two
nodes, the loss of node 1, and the stop.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import aiohttp
import asyncpg
import pytest

from demo.process import alive
from tests.cluster.conftest import RunningCluster
from tests.support.desk import DeskClient
from tests.support.patron import Patron

pytestmark = pytest.mark.cluster
MAX_ATTEMPTS = 40  # each attempt meets the one bridge that can do it all with a chance of 1/N²


def _read(path: str) -> str:
    with open(path, errors="replace") as f:
        return f.read()


async def _status(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status


async def _desk(cluster: RunningCluster, node: int) -> DeskClient:
    """The desk on duty, signed in at `node` (0 or 1) with plain SASL."""
    jid = cluster.info["on_duty"]
    port = cluster.info["xmpp"][node]["c2s_port"]
    desk = DeskClient(f"{jid}/seat-{node + 1}", cluster.info["desks"][jid], port, cluster.info["component"])
    await desk.start()
    await asyncio.sleep(0.3)  # the bridge sees the desk's presence
    return desk


async def _patron(cluster: RunningCluster) -> Patron:
    p = Patron(cluster.ws_url, cluster.info["library"], origin=cluster.info["allowed_origin"])
    await p.connect()
    await p.hello()
    return p


async def _chat(cluster: RunningCluster, desk: DeskClient, question: str, answer: str) -> int:
    """A patron through HAProxy asks; the desk gets the chat and answers; the patron reads it.

    Until the bridges share desk presence and live chats (the seats table and the bus of
    docs/cluster.md), this works end to end only when one bridge does all of it: the bridge
    that holds the patron's socket must be the one ejabberd gives the desk's presence to (the
    slot of the component's own address) and the one it gives the patron's address to (a slot
    chosen by hashing it). Each attempt tells for sure which case it met, without waiting on a
    clock: the desk's `chats` command lists the chat only on the presence bridge, and a line
    that reaches the other bridge comes back to the desk as an XMPP error. Returns the number
    of attempts it took.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        text = f"{question} ({attempt})"
        patron = await _patron(cluster)
        try:
            await patron.send_frame({"type": "handoff"})  # a librarian, not the automatic answers
            assert (await patron.say(text))["type"] == "ack"
            listed = await desk.command("chats")
            mine = [row["session"] for row in listed["items"] if row.get("first_line") == text]
            if not mine:
                continue  # the socket is on a bridge that does not know the desk is there
            offer = await desk.next_message("offer", timeout=15)
            while offer.session != mine[0]:  # an earlier attempt's chat, offered again
                offer = await desk.next_message("offer", timeout=15)
            desk.say(offer.frm, answer)
            if await _reached(patron, desk, answer):
                return attempt
        finally:
            await patron.close()
    raise AssertionError(f"no chat went through in {MAX_ATTEMPTS} attempts")


async def _reached(patron: Patron, desk: DeskClient, answer: str) -> bool:
    """True when the patron gets the desk's line; False when it bounced off another bridge."""
    line = asyncio.ensure_future(
        patron.recv(lambda f: f["type"] == "message" and f["from"] == "librarian", 15)
    )
    bounce = asyncio.ensure_future(desk.errors.get())
    done, pending = await asyncio.wait({line, bounce}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    assert done, "the desk's line neither reached the patron nor bounced"
    if line in done:
        assert line.result()["text"] == answer
        return True
    assert bounce.result()["type"] == "error"  # the other bridge: no such chat, or not in its view
    return False


async def test_cluster_json_describes_a_running_cluster(cluster: RunningCluster) -> None:
    info = cluster.info
    assert info["component"] == "patrons.chat.localhost"
    assert [x["node"] for x in info["xmpp"]] == ["ejabberd1@localhost", "ejabberd2@localhost"]
    assert len(info["bridges"]) == 2 and info["postgres"]["dsn"].startswith("postgresql://")
    assert info["on_duty"] == "tampere@chat.localhost" and info["library"] == "tampere"
    assert info["desks"]["tampere@chat.localhost"] == info["desks"]["nokia@chat.localhost"] == "password"
    assert all(alive(pid) for pid in cluster.pids().values()), cluster.pids()
    api = f"http://127.0.0.1:{info['xmpp'][1]['api_port']}/api/list_cluster"
    async with aiohttp.ClientSession() as http, http.post(api, json={}) as response:
        assert sorted(await response.json()) == ["ejabberd1@localhost", "ejabberd2@localhost"]
    assert await _status(f"{info['web']}/health") == 200
    for bridge in info["bridges"]:
        assert await _status(f"http://127.0.0.1:{bridge['web_port']}/health") == 200
    async with aiohttp.ClientSession() as http, http.get(f"{info['web']}/embed.js") as response:
        assert response.status == 200 and "data-library" in await response.text()


async def test_chat_through_haproxy_reaches_a_desk_on_node_2_and_back(cluster: RunningCluster) -> None:
    desk = await _desk(cluster, 1)
    try:
        attempts = await _chat(cluster, desk, "Milloin kirjasto aukeaa huomenna?", "Kello kymmenen.")
        print(f"\nchat went through at attempt {attempts}")
        # Every attempt's line, acked by whichever bridge held the socket, is in the one database.
        conn = await asyncpg.connect(cluster.info["postgres"]["dsn"])
        try:
            stored = await conn.fetchval(
                "SELECT count(*) FROM messages WHERE sender = 'patron' AND text LIKE $1",
                "Milloin kirjasto aukeaa huomenna? (%)",
            )
            answered = await conn.fetchval("SELECT count(*) FROM messages WHERE text = 'Kello kymmenen.'")
        finally:
            await conn.close()
        assert stored == attempts and answered == 1
    finally:
        await desk.close()


async def test_bridge_moves_to_node_2_when_node_1_stops(cluster: RunningCluster) -> None:
    desk = await _desk(cluster, 1)
    node1, node2 = cluster.info["xmpp"]
    bridge_log = cluster.info["bridges"][0]["log"]
    try:
        stopped = time.monotonic()
        os.kill(node1["pid"], signal.SIGTERM)
        moved = f"connected to 127.0.0.1:{node2['component_port']}"
        while moved not in _read(bridge_log):
            assert time.monotonic() - stopped < 60, "the bridge did not reconnect to node 2"
            await asyncio.sleep(0.1)
        print(f"\nbridge 1 back on node 2 {time.monotonic() - stopped:.1f} s after node 1 was told to stop")
        while alive(node1["pid"]):
            assert time.monotonic() - stopped < 60, "node 1 did not stop"
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # the bridge asks the desks for their presence again
        attempts = await _chat(cluster, desk, "Voinko uusia lainani?", "Voit, verkkokirjastossa.")
        print(f"chat went through at attempt {attempts}")
    finally:
        await desk.close()


async def test_sigterm_stops_every_process(cluster: RunningCluster) -> None:
    pids = cluster.pids()
    began = time.monotonic()
    cluster.process.send_signal(signal.SIGTERM)
    while cluster.process.poll() is None:
        assert time.monotonic() - began < 60, "demo.cluster did not stop"
        await asyncio.sleep(0.05)
    print(f"\ncluster stopped in {time.monotonic() - began:.1f} s")
    assert cluster.process.returncode == 0, cluster.log()
    assert "cluster stopped" in cluster.log()
    left = {name: pid for name, pid in pids.items() if alive(pid)}
    assert left == {}, f"still running: {left}"
