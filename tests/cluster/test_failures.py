"""Issue 21's failure tests on the real cluster (CONTRACTS §8): `python -m demo.cluster` with two
ejabberd nodes, PostgreSQL, two bridges and HAProxy. A bridge killed with SIGKILL, an ejabberd
node stopped, PostgreSQL restarted: no acknowledged line lost, none duplicated, no chat orphaned.

Run alone with `pytest -m cluster`. Every test starts its own cluster (a failure leaves it
changed) and stops it after."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slixmpp.stanza import Message

from tests.cluster.conftest import RunningCluster, _start, _stop
from tests.support.desk import DeskClient
from tests.support.patron import Patron

pytestmark = [pytest.mark.cluster]


class Cluster:
    """A running `python -m demo.cluster` (restarting bridges that exit, as systemd would)."""

    def __init__(self, running: RunningCluster) -> None:
        self.running = running

    @property
    def info(self) -> dict[str, Any]:
        return self.running.info

    def reread(self) -> dict[str, Any]:
        """cluster.json again (a restarted bridge has a new pid)."""
        self.running.info = json.loads((self.running.directory / "c" / "cluster.json").read_text())
        return self.running.info

    @property
    def ws_url(self) -> str:
        return self.running.ws_url

    @property
    def component(self) -> str:
        return str(self.info["component"])

    def password(self, bare: str) -> str:
        return str(self.info["desks"][bare])

    def c2s_port(self, node: int) -> int:
        return int(self.info["xmpp"][node]["c2s_port"])

    async def patron(self, library: str | None = None) -> Patron:
        patron = Patron(
            self.ws_url, library=library or self.info["library"], origin=self.info["allowed_origin"]
        )
        await patron.connect()
        await patron.hello()
        return patron

    async def desk(self, bare: str, node: int, resource: str = "seat") -> DeskClient:
        desk = DeskClient(
            f"{bare}/{resource}", self.password(bare), self.c2s_port(node), self.component, receipts=True
        )
        await desk.start()
        await asyncio.sleep(0.5)  # the bridges see the desk's presence
        return desk


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if os.geteuid() != 0:
        pytest.skip("the cluster runs ejabberd as the ejabberd user and PostgreSQL as postgres: needs root")
    running = _start()
    try:
        yield Cluster(running)
    finally:
        _stop(running)


def _line(desk: DeskClient, to: str, text: str, line_id: str) -> None:
    msg: Message = desk.make_message(mto=to, mbody=text, mtype="chat")
    msg["id"] = line_id
    msg["request_receipt"] = True
    msg.send()


async def send_until_stored(desk: DeskClient, to: str, text: str, line_id: str, within: float = 90.0) -> int:
    """What the console does: send, and send again with the same id until the bridge's receipt.
    Returns how many times the line was sent."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    sent = 0
    while loop.time() < deadline:
        _line(desk, to, text, line_id)
        sent += 1
        try:
            while True:
                got = await asyncio.wait_for(desk.receipts.get(), 3.0)
                if got == line_id:
                    return sent
        except TimeoutError:
            continue
    raise AssertionError(f"no receipt for {text!r} within {within} s ({sent} sends)")


async def say_until_acked(patron: Patron, text: str, line_id: str, within: float = 90.0) -> list[str]:
    """Send a patron line until its `ack`; returns the error codes met on the way."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    codes: list[str] = []
    while loop.time() < deadline:
        try:
            answer = await patron.say(text, msg_id=line_id)
        except (ConnectionError, TimeoutError):
            await reconnect(patron)
            continue
        if answer["type"] == "ack":
            return codes
        codes.append(str(answer.get("code")))
        await asyncio.sleep(1.0)
    raise AssertionError(f"no ack for {text!r} within {within} s; errors {codes}")


async def reconnect(patron: Patron, within: float = 60.0) -> None:
    """The widget's reconnection: a new socket through HAProxy, `hello` with the token."""
    token = patron.token
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        await patron.close()
        try:
            await patron.connect()
            await patron.hello(token)
            assert patron.token == token, "the chat was not resumed"
            return
        except (OSError, ConnectionError, TimeoutError, Exception):
            if loop.time() > deadline:
                raise
            await asyncio.sleep(1.0)


async def taken(desk: DeskClient, patron: Patron, first: str) -> str:
    """The patron writes, the desk is offered the chat and takes it; the patron's chat address
    (its user part is the chat's session id)."""
    await say_until_acked(patron, first, f"first-{first}")
    while True:
        offer = await desk.next_message(timeout=30)
        if offer.kind == "offer" and first in offer.body:
            break
    address = offer.frm.split("/", 1)[0]
    desk.say(address, "/accept")
    await patron.recv_type("state", timeout=30, state="active")
    return address


async def librarian_texts(patron: Patron, wait: float = 2.0) -> list[str]:
    """Every librarian line the patron's widget shows: history of the last welcome, then live."""
    texts = [m["text"] for m in patron.welcome.get("history", []) if m.get("from") == "librarian"]
    seen_ids = {m.get("id") for m in patron.welcome.get("history", [])}
    frames = list(patron.frames)
    patron.frames.clear()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while (left := deadline - loop.time()) > 0:
        try:
            frames.append(await patron.recv_frame(left))
        except (TimeoutError, ConnectionError):
            break
    for f in frames:
        if f.get("type") == "message" and f.get("from") == "librarian" and f.get("id") not in seen_ids:
            seen_ids.add(f.get("id"))
            texts.append(f["text"])
    return texts


async def desk_bodies(desk: DeskClient, wait: float = 2.0) -> list[str]:
    bodies = []
    try:
        while True:
            bodies.append((await desk.next_message(timeout=wait)).body)
    except TimeoutError:
        return bodies


async def test_a_bridge_killed_mid_chat(cluster: Cluster) -> None:
    desk = await cluster.desk(cluster.info["on_duty"], node=0)
    patrons = [await cluster.patron() for _ in range(2)]  # leastconn: one on each bridge
    addresses = [await taken(desk, p, f"Hei {i}") for i, p in enumerate(patrons)]
    for i, (p, address) in enumerate(zip(patrons, addresses, strict=True)):
        await send_until_stored(desk, address, f"Ennen {i}", f"before-{i}")
        await p.recv(lambda f, i=i: f.get("text") == f"Ennen {i}", timeout=30)

    os.kill(int(cluster.info["bridges"][0]["pid"]), signal.SIGKILL)

    for i, (p, address) in enumerate(zip(patrons, addresses, strict=True)):
        await send_until_stored(desk, address, f"Jälkeen {i}", f"after-{i}")
        await say_until_acked(p, f"Potilas {i}", f"patron-after-{i}")
    for i, p in enumerate(patrons):
        try:
            shown = await librarian_texts(p, wait=5.0)
        except ConnectionError:
            shown = []
        if not p.welcome.get("history"):  # the first socket lived: it showed "Ennen" live
            shown.insert(0, f"Ennen {i}")
        if f"Jälkeen {i}" not in shown:  # its socket was on the killed bridge: the widget resumes
            await reconnect(p)
            shown = await librarian_texts(p, wait=5.0)  # the welcome's history, then live lines
        assert shown.count(f"Ennen {i}") == 1, shown
        assert shown.count(f"Jälkeen {i}") == 1, shown
    bodies = await desk_bodies(desk, wait=5.0)
    for i in range(2):
        assert bodies.count(f"Potilas {i}") == 1, bodies
    listing = await desk.command("chats")
    owners = {row.get("session"): row.get("owner", "") for row in listing["items"]}
    for address in addresses:
        session = address.split("@", 1)[0]
        assert cluster.info["on_duty"] in owners.get(session, ""), f"orphaned: {listing['items']}"
    for p in patrons:
        await p.close()
    await desk.close()


async def test_an_ejabberd_node_stopped(cluster: Cluster) -> None:
    on_duty = cluster.info["on_duty"]
    desk = await cluster.desk(on_duty, node=1)
    patron = await cluster.patron()
    address = await taken(desk, patron, "Hei solmu")

    os.kill(int(cluster.info["xmpp"][0]["pid"]), signal.SIGTERM)  # node 1 shuts down

    # The component stays reachable through the surviving node, both ways.
    await send_until_stored(desk, address, "Solmu meni", "node-1")
    await patron.recv(lambda f: f.get("text") == "Solmu meni", timeout=60)
    await say_until_acked(patron, "Kuulin", "node-2")
    bodies = await desk_bodies(desk, wait=10.0)
    assert bodies.count("Kuulin") == 1, bodies
    # A desk of the stopped node signs in at the other one and works.
    other = next(bare for bare in cluster.info["desks"] if bare != on_duty)
    colleague = await cluster.desk(other, node=1, resource="moved")
    listing = await colleague.command("chats")
    assert "items" in listing
    texts = await librarian_texts(patron, wait=3.0)
    assert "Solmu meni" not in texts, texts  # received once above, never again
    await patron.close()
    await desk.close()
    await colleague.close()


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


async def test_postgresql_restarted(cluster: Cluster) -> None:
    desk = await cluster.desk(cluster.info["on_duty"], node=0)
    patron = await cluster.patron()
    address = await taken(desk, patron, "Hei kanta")
    data = Path(cluster.info["postgres"]["data"])
    opts = (data / "postmaster.opts").read_text().strip()
    postgres_argv = shlex.split(opts)
    args = postgres_argv[1:]
    if "-D" in args:  # pg_ctl gives the data folder itself
        i = args.index("-D")
        del args[i : i + 2]
    pg_ctl = str(Path(postgres_argv[0]).with_name("pg_ctl"))
    await asyncio.to_thread(
        subprocess.run, _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), check=True
    )
    try:
        # Down: never a false ack, never a receipt.
        answer = await patron.say("Kanta alhaalla", msg_id="down-1")
        assert answer["type"] == "error" and answer["code"] == "unavailable", answer
        _line(desk, address, "Ei tallennu", "down-desk")
        with pytest.raises(TimeoutError):
            while True:
                if await asyncio.wait_for(desk.receipts.get(), 5.0) == "down-desk":
                    break
    finally:
        await asyncio.to_thread(
            subprocess.run,
            _as_postgres(
                [
                    pg_ctl,
                    "-D",
                    str(data),
                    "-w",
                    "-o",
                    shlex.join(args),
                    "-l",
                    str(data.parent / "restarted.log"),
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    try:
        await _after_restart(cluster, patron, desk, address)
    finally:  # this server is not the cluster's child: stop it here
        await asyncio.to_thread(
            subprocess.run, _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), check=False
        )


async def _after_restart(cluster: Cluster, patron: Patron, desk: DeskClient, address: str) -> None:
    # Back: the same lines again (same ids) are stored once and reach the other side once.
    await say_until_acked(patron, "Kanta alhaalla", "down-1")
    await send_until_stored(desk, address, "Ei tallennu", "down-desk")
    texts = await librarian_texts(patron, wait=3.0)
    assert texts.count("Ei tallennu") == 1, texts
    bodies = await desk_bodies(desk, wait=3.0)
    assert bodies.count("Kanta alhaalla") == 1, bodies
    await patron.close()
    await desk.close()
