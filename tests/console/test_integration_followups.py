"""Follow-ups and statistics in the real console against the real bridge (marker: prosody).

A patron leaves a message with an e-mail address; the console sees the notice, claims the
follow-up, answers it (the bridge mails it to a real SMTP server, aiosmtpd) and closes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP

from console.screens.followups import AnswerScreen, FollowupScreen
from console.screens.stats import StatsScreen
from tests.bridge.test_followups import Mailbox, mail_config
from tests.support.stack import start_stack

from .helpers import options_text, static_text
from .test_integration import console_for, until

pytestmark = pytest.mark.prosody


@pytest.fixture
async def mailbox() -> AsyncIterator[Mailbox]:
    box = Mailbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(box, hostname="mail.test", enable_SMTPUTF8=True), "127.0.0.1", 0
    )
    box.port = server.sockets[0].getsockname()[1]
    try:
        yield box
    finally:
        server.close()
        await server.wait_closed()


async def test_followup_noticed_claimed_answered_by_email_and_closed(
    tmp_path: Path, mailbox: Mailbox
) -> None:
    stack = await start_stack(tmp_path, extra=mail_config(mailbox.port))
    try:
        app = console_for(stack, tmp_path, "tampere@chat.localhost")
        app.bell = lambda: None
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.backend.connected, "connected")
            await asyncio.sleep(0.3)  # the bridge sees the directed presence
            patron = await stack.patron(library="tampere")
            await patron.send_frame(
                {
                    "type": "leave_message",
                    "text": "Onko Seitsemän veljestä hyllyssä?",
                    "contact": "Matti, matti@example.org",
                }
            )
            await until(pilot, lambda: "●1" in static_text(app, "#status"), "the follow-up notice")
            assert "Follow-ups 1 ●1" in static_text(app, "#status")

            await pilot.press("alt+f")
            await until(pilot, lambda: isinstance(app.screen, FollowupScreen), "the follow-up list")
            await until(pilot, lambda: "Seitsemän" in options_text(app, "#followup-list"), "the row")
            assert "open" in options_text(app, "#followup-list")
            assert "e-mails the answer to matti@example.org" in static_text(app, "#followup-detail")

            await pilot.press("c")
            await until(pilot, lambda: "claimed (desk-1)" in options_text(app, "#followup-list"), "claimed")

            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, AnswerScreen), "the answer editor")
            await pilot.press(*"Hei Matti!", "enter", *"Kirja on hyllyss\u00e4.", "ctrl+s")
            rcpts, mail = await mailbox.next(timeout=8)
            assert rcpts == ["matti@example.org"]
            body = mail.get_content().replace("\r\n", "\n")
            assert body.startswith("Hei Matti!\nKirja on hyllyssä.\n")
            await until(pilot, lambda: "answered" in options_text(app, "#followup-list"), "answered")
            notes = " ".join(n.message for n in app._notifications)
            assert "matti@example.org" in notes

            await pilot.press("x")  # closing asks first
            await pilot.pause(0.2)
            await pilot.press("enter")
            await until(pilot, lambda: "#" not in options_text(app, "#followup-list"), "closed")
    finally:
        await stack.close()


async def test_stats_for_the_desk_and_refused_service_scope(tmp_path: Path) -> None:
    stack = await start_stack(tmp_path)
    try:
        desk = console_for(stack, tmp_path, "tampere@chat.localhost")
        coordinator = console_for(stack, tmp_path, "coordinator@chat.localhost")
        async with desk.run_test(size=(120, 40)) as pilot, coordinator.run_test(size=(120, 40)) as cpilot:
            await until(pilot, lambda: desk.backend.connected, "desk connected")
            await until(cpilot, lambda: coordinator.backend.connected, "coordinator connected")

            await pilot.press("alt+g")
            await until(pilot, lambda: isinstance(desk.screen, StatsScreen), "statistics")
            await until(pilot, lambda: "Conversations" in static_text(desk, "#stats-body"), "figures")
            assert "Weekdays" in static_text(desk, "#stats-body")
            await pilot.press("s")
            await until(pilot, lambda: "does not show" in static_text(desk, "#stats-body"), "refusal")
            assert "coordinators" in static_text(desk, "#stats-body")

            await cpilot.press("alt+g")
            await until(cpilot, lambda: isinstance(coordinator.screen, StatsScreen), "statistics")
            await cpilot.press("s", "a")
            await until(
                cpilot,
                lambda: (
                    "whole service" in static_text(coordinator, "#stats-title")
                    and "Conversations" in static_text(coordinator, "#stats-body")
                ),
                "service-wide figures",
            )
    finally:
        await stack.close()
