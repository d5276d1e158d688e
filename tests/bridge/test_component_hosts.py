"""`xmpp.hosts`: the component moves to the next server when its connection drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.config import parse_config
from bridge.errors import ConfigError
from demo.prosody import PrivateProsody, free_port
from tests.support.desk import DeskClient
from tests.support.stack import start_stack

BASE = {"xmpp": {"component": "c.example", "secret": "s"}, "database": "db", "rota": "r"}


def test_hosts_are_tried_in_order(tmp_path: Path) -> None:
    raw = {**BASE, "xmpp": {**BASE["xmpp"], "hosts": ["10.0.0.1:5347", "node2.example:5348", "[::1]:5349"]}}
    cfg = parse_config(raw, tmp_path)
    assert cfg.xmpp.addresses == (("10.0.0.1", 5347), ("node2.example", 5348), ("::1", 5349))


def test_without_hosts_host_and_port_are_the_one_address(tmp_path: Path) -> None:
    raw = {**BASE, "xmpp": {**BASE["xmpp"], "host": "10.0.0.9", "port": 5999}}
    assert parse_config(raw, tmp_path).xmpp.addresses == (("10.0.0.9", 5999),)


@pytest.mark.parametrize("hosts", [[], "10.0.0.1:5347", ["10.0.0.1"], ["10.0.0.1:port"], [":5347"]])
def test_bad_hosts_are_refused_with_the_key(tmp_path: Path, hosts: object) -> None:
    raw = {**BASE, "xmpp": {**BASE["xmpp"], "hosts": hosts}}
    with pytest.raises(ConfigError, match=r"xmpp\.hosts"):
        parse_config(raw, tmp_path)


async def test_component_moves_to_the_next_server_when_its_server_stops(tmp_path: Path) -> None:
    first = PrivateProsody(tmp_path / "first")
    second = PrivateProsody(tmp_path / "second", secret=first.secret)
    await first.start()
    await second.start()
    hosts = [f"127.0.0.1:{first.component_port}", f"127.0.0.1:{second.component_port}"]
    xmpp = {"component": first.component, "secret": first.secret, "hosts": hosts}
    s = await start_stack(tmp_path / "stack", in_process=True, extra={"xmpp": xmpp})
    desk = None
    try:
        passwords = s.passwords
        await second.register(passwords.items())
        await first.stop()
        tampere = "tampere@chat.localhost"
        desk = DeskClient(f"{tampere}/desk-1", passwords[tampere], second.c2s_port, first.component)
        await desk.start()
        p = await s.patron()
        await p.say("Onko kirjasto auki huomenna?")
        offer = await desk.next_message("offer", timeout=15)
        assert "Onko kirjasto auki huomenna?" in offer.body
        desk.say(offer.frm, "On, kymmenestä alkaen.")
        line = await p.recv_type("message", timeout=10)
        assert line["text"] == "On, kymmenestä alkaen."
    finally:
        if desk is not None:
            await desk.close()
        await s.close()
        await first.stop()
        await second.stop()


async def test_a_server_that_is_down_at_start_is_skipped(tmp_path: Path) -> None:
    up = PrivateProsody(tmp_path / "up")
    await up.start()
    hosts = [f"127.0.0.1:{free_port()}", f"127.0.0.1:{up.component_port}"]  # nothing on the first
    xmpp = {"component": up.component, "secret": up.secret, "hosts": hosts}
    s = await start_stack(tmp_path / "stack", extra={"xmpp": xmpp})  # waits for the component
    desk = None
    try:
        await up.register(s.passwords.items())
        tampere = "tampere@chat.localhost"
        desk = DeskClient(f"{tampere}/desk-1", s.passwords[tampere], up.c2s_port, up.component)
        await desk.start()
        p = await s.patron()
        await p.say("Hei, onko ketään paikalla?")
        offer = await desk.next_message("offer", timeout=15)
        assert "Hei, onko ketään paikalla?" in offer.body
    finally:
        if desk is not None:
            await desk.close()
        await s.close()
        await up.stop()


async def test_a_server_that_takes_the_connection_but_never_answers_is_left_for_the_next(
    tmp_path: Path,
) -> None:
    """A node that is starting (or hung) accepts TCP and says nothing: the component gives it
    `answer_seconds` to open the stream, then moves on, instead of waiting for ever."""
    import asyncio

    accepted: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    mute = await asyncio.start_server(silent, "127.0.0.1", 0)
    mute_port = mute.sockets[0].getsockname()[1]
    up = PrivateProsody(tmp_path / "up")
    await up.start()
    hosts = [f"127.0.0.1:{mute_port}", f"127.0.0.1:{up.component_port}"]
    xmpp = {"component": up.component, "secret": up.secret, "hosts": hosts, "answer_seconds": 2}
    s = await start_stack(tmp_path / "stack", extra={"xmpp": xmpp})  # waits for the component
    desk = None
    try:
        assert accepted, "the silent server was tried first"
        await up.register(s.passwords.items())
        tampere = "tampere@chat.localhost"
        desk = DeskClient(f"{tampere}/desk-1", s.passwords[tampere], up.c2s_port, up.component)
        await desk.start()
        p = await s.patron()
        await p.say("Onko kukaan paikalla?")
        offer = await desk.next_message("offer", timeout=15)
        assert "Onko kukaan paikalla?" in offer.body
    finally:
        if desk is not None:
            await desk.close()
        await s.close()
        await up.stop()
        mute.close()
        for writer in accepted:
            writer.close()
