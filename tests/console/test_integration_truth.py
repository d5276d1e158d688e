"""Issue 17 against the real bridge and a private Prosody: delivery marks, a line refused after
the end, tagging after the end, the patron leaving and coming back, a transfer's waiting time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from console.app import ConsoleApp
from console.backend import ChatEnded, DeskEvent, Mark
from console.model import Section
from console.screens.dialogs import ConfirmScreen
from console.screens.pickers import TagPicker
from tests.support.patron import Patron
from tests.support.stack import Stack

from .helpers import list_text, transcript_text
from .test_integration import console_for, until

pytestmark = pytest.mark.prosody


async def _taken(pilot, app: ConsoleApp, patron: Patron, first: str) -> str:
    """The patron writes, the seat takes the chat; its session."""
    await until(pilot, lambda: app.backend.connected, "connected")
    await asyncio.sleep(0.2)  # the bridge sees the directed presence
    await patron.say(first)
    await until(pilot, lambda: first in list_text(app), "the waiting chat")
    session = app.query_one("#chats").sessions[0]
    await pilot.press("f2")
    await until(pilot, lambda: app.book.chats[session].section(app.book.me) is Section.MINE, "accepted")
    return session


def _text(app: ConsoleApp) -> str:
    return transcript_text(app).replace("\n  ", " ")


async def test_delivered_marks_and_a_line_refused_after_the_end(stack: Stack, tmp_path: Path) -> None:
    app = console_for(stack, tmp_path, "tampere@chat.localhost")
    async with app.run_test(size=(120, 36)) as pilot:
        patron = await stack.patron(library="tampere")
        session = await _taken(pilot, app, patron, "Onko kirja lainassa?")

        await pilot.press(*"On, palautus perjantaina.", "enter")
        assert (await patron.recv_type("message", **{"from": "librarian"}))[
            "text"
        ] == "On, palautus perjantaina."
        await until(
            pilot,
            lambda: app.book.chats[session].lines[-1].mark is Mark.DELIVERED,
            "the delivered mark",
        )
        assert "On, palautus perjantaina. ✓✓" in _text(app)

        # The patron ends the chat while the bridge's notice of it is still on its way here.
        held: list[DeskEvent] = []
        deliver = app.backend._sink
        assert deliver is not None
        app.backend.set_sink(
            lambda e: held.append(e) if isinstance(e, ChatEnded) else deliver(e)  # type: ignore[func-returns-value]
        )
        await patron.send_frame({"type": "end"})
        await patron.recv_type("state", state="ended")
        await until(pilot, lambda: bool(held), "the ended notice (held back)")

        await pilot.press(*"Vielä yksi asia", "enter")
        await until(
            pilot,
            lambda: any(line.mark is Mark.FAILED for line in app.book.chats[session].lines),
            "the refused line",
        )
        text = _text(app)
        assert "Vielä yksi asia (NOT SENT – Ctrl+R sends again)" in text
        await until(pilot, lambda: "your line was not sent" in _text(app), "the bridge's explanation")
        await patron.no_frame(0.5, lambda f: f.get("text") == "Vielä yksi asia")

        app.backend.set_sink(deliver)
        for event in held:
            deliver(event)
        await until(pilot, lambda: "The chat ended: the patron ended it." in _text(app), "the end as a line")
        await patron.close()


async def test_tagging_after_the_patron_ended(stack: Stack, tmp_path: Path) -> None:
    app = console_for(stack, tmp_path, "tampere@chat.localhost")
    async with app.run_test(size=(120, 36)) as pilot:
        patron = await stack.patron(library="tampere")
        session = await _taken(pilot, app, patron, "Miten uusin lainat?")
        await patron.send_frame({"type": "end"})
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the closing prompt")
        assert "The chat ended: the patron ended it." in _text(app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TagPicker), "the tag list")
        await pilot.press(*"loans", "space", "enter")
        await until(pilot, lambda: app.book.chats[session].meta.tags == ("loans",), "tagged after the end")
        assert app.book.chats[session].section(app.book.me) is Section.ENDED
        notes = [n.message for n in app._notifications]
        assert not any(m.startswith("Failed") for m in notes), notes
        await patron.close()


async def test_the_patron_leaving_and_coming_back(stack: Stack, tmp_path: Path) -> None:
    app = console_for(stack, tmp_path, "tampere@chat.localhost")
    async with app.run_test(size=(120, 36)) as pilot:
        patron = await stack.patron(library="tampere")
        await _taken(pilot, app, patron, "Hetki, vaihdan konetta")
        token = patron.token
        await patron.close()
        messages = lambda: [n.message for n in app._notifications]  # noqa: E731
        await until(pilot, lambda: "The patron left: Tampere" in messages(), "the patron-left notice")
        await until(pilot, lambda: "(patron left)" in list_text(app), "the mark in the list")
        again = Patron(stack.ws_url, library="tampere")
        await again.connect()
        await again.hello(token)
        await until(pilot, lambda: "The patron is back: Tampere" in messages(), "the patron-back notice")
        await until(pilot, lambda: "(patron left)" not in list_text(app), "the list without the mark")
        await again.close()


async def test_a_transfer_keeps_the_waiting_time(stack: Stack, tmp_path: Path) -> None:
    tampere = console_for(stack, tmp_path, "tampere@chat.localhost")
    nokia = console_for(stack, tmp_path, "nokia@chat.localhost")
    async with tampere.run_test(size=(120, 36)) as pilot, nokia.run_test(size=(120, 36)) as npilot:
        await until(npilot, lambda: nokia.backend.connected, "nokia connected")
        patron = await stack.patron(library="tampere")
        session = await _taken(pilot, tampere, patron, "Siirrä minut Nokialle")
        since = tampere.book.chats[session].meta.waiting_since
        assert since is not None
        await pilot.press("f8")
        await until(pilot, lambda: "TransferPicker" in type(tampere.screen).__name__, "the transfer picker")
        await pilot.press(*"nokia", "enter")
        await until(npilot, lambda: session in nokia.book.chats, "nokia gets the offer")
        chat = nokia.book.chats[session]
        assert chat.waiting_since == since
        assert chat.first_seen > since  # without the bridge's time the list would count from here
        await patron.close()


async def test_a_line_lost_on_the_way_is_sent_again_and_reaches_the_patron_once(
    stack: Stack, tmp_path: Path
) -> None:
    """The line vanishes between the server and the bridge with no error (a bridge that died in a
    cluster while the desk's link stayed up): no ✓ comes, so the console sends it again, same id."""
    app = console_for(stack, tmp_path, "tampere@chat.localhost")
    async with app.run_test(size=(120, 36)) as pilot:
        patron = await stack.patron(library="tampere")
        session = await _taken(pilot, app, patron, "Onko kirja lainassa?")
        assert stack.bridge is not None and stack.bridge.component is not None
        component = stack.bridge.component
        take = component._on_message
        lost: list[str] = []

        async def lose_first_copy(msg) -> None:  # type: ignore[no-untyped-def]
            if msg["body"] == "Palautus perjantaina." and not lost:
                lost.append(msg["id"])
                return
            await take(msg)

        component.del_event_handler("message", take)
        component.add_event_handler("message", lose_first_copy)
        await pilot.press(*"Palautus perjantaina.", "enter")
        await until(pilot, lambda: bool(lost), "the lost copy")
        own = next(line for line in app.book.chats[session].lines if line.msg_id == lost[0])
        assert own.mark is Mark.SENT and own.text == "Palautus perjantaina."
        await patron.no_frame(0.5, lambda f: f.get("text") == "Palautus perjantaina.")

        base = app.now()
        app._clock = lambda: base + timedelta(seconds=app.desk.resend_after + 1)  # type: ignore[assignment]
        app.desk_screen.resend_overdue()
        frame = await patron.recv_type("message", timeout=15, **{"from": "librarian"})
        assert frame["text"] == "Palautus perjantaina."
        await until(
            pilot,
            lambda: any(
                line.msg_id == lost[0] and line.mark in (Mark.STORED, Mark.DELIVERED)
                for line in app.book.chats[session].lines
            ),
            "the ✓ after the resend",
        )
        assert len(lost) == 1  # the copy that was lost, then the same id again
        await patron.no_frame(1.0, lambda f: f.get("text") == "Palautus perjantaina.")  # once
        await patron.close()
