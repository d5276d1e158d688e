"""Pictures of the main screens (pytest-textual-snapshot); times are pinned."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from console.app import ConsoleApp
from console.fake import FakeDesk
from console.log import ChatLog

from .conftest import CANNED

T0 = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


@pytest.fixture
def app(tmp_path, monkeypatch) -> ConsoleApp:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr("console.widgets.chat_list.waited", lambda since, now: "2 min")
    monkeypatch.setattr("console.widgets.panels.waited", lambda since, now: "2 min")
    fake = FakeDesk()
    fake.clock = lambda: T0
    app = ConsoleApp(fake, ChatLog(tmp_path / "log.sqlite3"), canned=CANNED)
    app.bell = lambda: None
    app.fake = fake  # type: ignore[attr-defined]
    yield app
    os.environ.pop("TZ", None)
    time.tzset()


async def populate(pilot) -> None:
    fake: FakeDesk = pilot.app.fake
    fake.offer("p-7f3k", "Hei! Miten uusin lainani, kun kirjastokortti on vanhentunut?")
    fake.offer("p-2b9q", "Onko Nokian kirjasto auki lauantaina?", library="nokia")
    fake.offer("p-x1aa", "[b]Not bold[/b] and \x1b[31mno colour", library="akaa", lang="en")
    await pilot.pause()
    await pilot.press("f2")
    await pilot.pause()
    fake.patron("p-7f3k", "PIN-koodikin on hukassa.")
    fake.taken_elsewhere("p-2b9q", "tampere@chat.localhost/desk-2")
    await pilot.pause()
    await pilot.press(*"Hei! Autan mielelläni")
    await pilot.pause()
    pilot.app.clear_notifications()
    pilot.app.query_one("#chats").remove_class("-alert")
    await pilot.pause()


def test_main_screen(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(120, 36), run_before=populate)


def test_main_screen_80x24(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=populate)


def test_tag_picker(snap_compare, app) -> None:
    async def run(pilot) -> None:
        await populate(pilot)
        await pilot.press("f7", *"lain", "space")
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def test_help_screen(snap_compare, app) -> None:
    async def run(pilot) -> None:
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 36), run_before=run)


def test_followup_list(snap_compare, app) -> None:
    async def run(pilot) -> None:
        fake: FakeDesk = pilot.app.fake
        fake.leave_message("Onko Seitsemän veljestä hyllyssä?\nTai äänikirjana?", "Matti, matti@example.org")
        fake.leave_message("Soittakaa minulle", "040 123 4567", library="nokia", notify=False)
        await pilot.pause()
        await pilot.press("alt+f")
        await pilot.pause(0.3)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=run)


def test_stats_screen(snap_compare, app) -> None:
    async def run(pilot) -> None:
        pilot.app.clock = lambda: T0
        await pilot.press("alt+g")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run)
