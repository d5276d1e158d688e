"""The real console against the real bridge and a private Prosody (marker: prosody)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from console.__main__ import build_app
from console.app import ConsoleApp
from console.config import TlsMode, XmppSettings
from console.log import ChatLog
from console.model import Section
from console.screens.dialogs import StoppedScreen
from console.xmpp import DeskClient
from tests.support.stack import Stack

from .helpers import list_text, transcript_text

pytestmark = pytest.mark.prosody


def console_for(stack: Stack, tmp: Path, bare: str, resource: str = "desk-1") -> ConsoleApp:
    settings = XmppSettings(
        f"{bare}/{resource}", stack.passwords[bare], "127.0.0.1", stack.c2s_port, TlsMode.OFF
    )
    return ConsoleApp(DeskClient(settings, stack.component), ChatLog(tmp / f"{bare}-{resource}.sqlite3"))


async def until(pilot, check: Callable[[], bool], what: str, timeout: float = 8.0) -> None:
    """Let the app run until `check()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            notes = [n.message for n in pilot.app._notifications]
            raise AssertionError(f"timed out waiting for {what}; notifications: {notes}")
        await pilot.pause(0.05)


async def test_accept_reply_tag_transfer_end(stack: Stack, tmp_path: Path) -> None:
    config = tmp_path / "console.yaml"
    (tmp_path / "pw").write_text(stack.passwords["tampere@chat.localhost"] + "\n")
    config.write_text(
        yaml.safe_dump(
            {
                "xmpp": {
                    "jid": "tampere@chat.localhost/desk-1",
                    "password_file": "pw",
                    "host": "127.0.0.1",
                    "port": stack.c2s_port,
                    "tls": "off",
                },
                "bridge": stack.component,
                "lang": "en",
                "log": "tampere.sqlite3",
                "roster": str(Path(__file__).parents[1] / "data" / "rota.yaml"),
            }
        )
    )
    tampere = build_app(config)
    nokia = console_for(stack, tmp_path, "nokia@chat.localhost")
    async with tampere.run_test(size=(120, 36)) as pilot, nokia.run_test(size=(120, 36)) as npilot:
        await until(pilot, lambda: tampere.backend.connected, "tampere connected")
        await until(npilot, lambda: nokia.backend.connected, "nokia connected")
        await asyncio.sleep(0.2)  # the bridge sees the directed presence
        patron = await stack.patron(library="tampere")
        await patron.say("Miten uusin lainat?")

        await until(
            pilot, lambda: "Miten uusin lainat?" in list_text(tampere), "the waiting chat in the list"
        )
        assert "Waiting (1)" in list_text(tampere)
        session = tampere.query_one("#chats").sessions[0]

        await pilot.press("f2")
        await until(
            pilot, lambda: tampere.book.chats[session].section(tampere.book.me) is Section.MINE, "accepted"
        )
        await pilot.press(*"Verkkokirjastossa")
        assert (await patron.recv_type("typing"))["state"] == "composing"
        await pilot.press(*" voit uusia.", "enter")
        reply = await patron.recv_type("message")
        assert reply["from"] == "librarian" and reply["text"] == "Verkkokirjastossa voit uusia."

        await patron.send_frame({"type": "typing", "state": "composing"})
        await until(pilot, lambda: "typing" in str(tampere.query_one("#typing").render()), "patron typing")
        await patron.say("Kiitos! Entä varaukset?")
        await until(pilot, lambda: "Entä varaukset?" in transcript_text(tampere), "patron line")

        await pilot.press("f7")
        await pilot.pause(0.3)
        await pilot.press(*"loans", "space", "enter")
        await until(pilot, lambda: tampere.book.chats[session].meta.tags == ("loans",), "tagged")

        await pilot.press("f9")
        await pilot.pause(0.2)
        await pilot.press(*"Soita takaisin huomenna", "enter")
        await until(pilot, lambda: "Soita takaisin huomenna" in transcript_text(tampere), "the note")

        await pilot.press("f8")
        await until(pilot, lambda: "TransferPicker" in type(tampere.screen).__name__, "transfer picker")
        await pilot.press(*"nokia", "enter")
        await until(npilot, lambda: session in nokia.book.chats, "nokia gets the offer")
        await until(
            npilot,
            lambda: (
                "Entä varaukset?" in transcript_text(nokia)
                and "Verkkokirjastossa voit uusia." in transcript_text(nokia)
                and "Soita takaisin huomenna" in transcript_text(nokia)  # notes go to colleagues
            ),
            "the history at nokia",
        )
        await until(pilot, lambda: "transferred to" in list_text(tampere), "left tampere")

        await npilot.press("f2")
        await until(
            npilot, lambda: nokia.book.chats[session].section(nokia.book.me) is Section.MINE, "nokia accepted"
        )
        await npilot.press("f10")
        await npilot.pause(0.2)
        await npilot.press("enter")
        await until(npilot, lambda: "Ended today (1)" in list_text(nokia), "ended")
        assert (await patron.recv_type("state", state="ended"))["state"] == "ended"

        hits = await tampere.chat_log.search("varaukset")
        assert hits and hits[0].session == session


async def test_two_seats_of_one_account_see_taken_by(stack: Stack, tmp_path: Path) -> None:
    one = console_for(stack, tmp_path, "tampere@chat.localhost", "desk-1")
    two = console_for(stack, tmp_path, "tampere@chat.localhost", "desk-2")
    async with one.run_test(size=(120, 36)) as p1, two.run_test(size=(120, 36)) as p2:
        await until(p1, lambda: one.backend.connected, "desk-1 connected")
        await until(p2, lambda: two.backend.connected, "desk-2 connected")
        await asyncio.sleep(0.2)
        patron = await stack.patron(library="tampere")
        await patron.say("Hei, onko kirjasto auki?")
        await until(p1, lambda: "Waiting (1)" in list_text(one), "offer at desk-1")
        await until(p2, lambda: "Waiting (1)" in list_text(two), "offer at desk-2")
        await p1.press("f2")
        await until(p2, lambda: "taken by desk-1" in list_text(two), "taken by at desk-2")
        assert "Mine (1)" in list_text(one)


async def test_same_seat_twice_stops_with_an_explanation(stack: Stack, tmp_path: Path) -> None:
    first = console_for(stack, tmp_path, "tampere@chat.localhost", "desk-1")
    second = console_for(stack, tmp_path / "b", "tampere@chat.localhost", "desk-1")
    (tmp_path / "b").mkdir()
    async with first.run_test(size=(120, 36)) as p1:
        await until(p1, lambda: first.backend.connected, "first connected")
        async with second.run_test(size=(120, 36)) as p2:
            await until(p2, lambda: second.backend.connected, "second connected")
            await until(p1, lambda: isinstance(first.screen, StoppedScreen), "conflict screen")
            await asyncio.sleep(1.5)  # the first must not come back and kick the second
            assert second.backend.connected
            assert not first.backend.connected


async def test_reconnects_and_sends_what_was_typed_offline(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("console.xmpp.BACKOFF", (3.0,))  # time to type while disconnected
    app = console_for(stack, tmp_path, "tampere@chat.localhost")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.backend.connected, "connected")
        await asyncio.sleep(0.2)
        patron = await stack.patron(library="tampere")
        await patron.say("Hei")
        await until(pilot, lambda: "Waiting (1)" in list_text(app), "offer")
        await pilot.press("f2")
        await until(pilot, lambda: "Mine (1)" in list_text(app), "accepted")
        app.backend._xmpp.transport.abort()  # the network drops
        await until(pilot, lambda: not app.backend.connected, "disconnected")
        await pilot.press(*"Hetkinen", "enter")
        await pilot.pause(0.1)
        assert "Hetkinen (waiting for connection)" in transcript_text(app)
        await until(pilot, lambda: app.backend.connected, "reconnected")
        reply = await patron.recv_type("message")
        assert reply["text"] == "Hetkinen"
        await until(pilot, lambda: "waiting for connection" not in transcript_text(app), "the line's ✓")
        text = transcript_text(app)
        assert text.count("Hei") == 1 and text.count("Hetkinen") == 1


async def test_tls_required_refuses_a_server_without_tls(stack: Stack, tmp_path: Path) -> None:
    from console.backend import ConnectionChanged, Link

    bare = "tampere@chat.localhost"
    settings = XmppSettings(
        f"{bare}/desk-9", stack.passwords[bare], "127.0.0.1", stack.c2s_port, TlsMode.REQUIRED
    )
    client = DeskClient(settings, stack.component)
    events: list[ConnectionChanged] = []
    stopped_event = asyncio.Event()

    def sink(event: object) -> None:
        if isinstance(event, ConnectionChanged):
            events.append(event)
            if event.link is Link.STOPPED:
                stopped_event.set()

    client.set_sink(sink)
    await client.start()
    try:
        await asyncio.wait_for(stopped_event.wait(), 8)
    finally:
        await client.stop()
    stopped = [e for e in events if e.link is Link.STOPPED]
    assert stopped and "no TLS" in stopped[0].detail
    assert not client.connected


async def test_bridge_canned_answer_without_a_canned_file(tmp_path: Path) -> None:
    from tests.support.stack import PIKI, start_stack

    stack = await start_stack(tmp_path / "stack", canned=PIKI / "canned.yaml")
    try:
        app = console_for(stack, tmp_path, "tampere@chat.localhost")
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.backend.connected, "connected")
            await asyncio.sleep(0.2)
            patron = await stack.patron(library="tampere")
            await patron.say("Hei")
            await until(pilot, lambda: "Waiting (1)" in list_text(app), "offer")
            await pilot.press("f2")
            await until(pilot, lambda: "Mine (1)" in list_text(app), "accepted")
            await pilot.press("f3")
            await until(pilot, lambda: "BridgeCannedPicker" in type(app.screen).__name__, "picker")
            await pilot.press(*"greeting", "enter")
            message = await patron.recv_type("message")
            assert "Olet yhteydessä PIKI-kirjastojen chattiin" in message["text"]
            await until(pilot, lambda: "Olet yhteydessä" in transcript_text(app), "shown")
    finally:
        await stack.close()
