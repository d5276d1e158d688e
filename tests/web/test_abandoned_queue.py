"""From the patron's side: a chat whose patron left before anyone answered does not count in
a later patron's place in the queue (CONTRACTS §2: it ends as interrupted after
`interrupted_grace_seconds` and never counts in a queue position)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack, start_stack
from tests.web.widget_page import PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
GRACE = 1.0  # seconds a patron may be gone before the chat counts as interrupted


@pytest.fixture
async def quick_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    s = await start_stack(tmp_path, extra={"interrupted_grace_seconds": GRACE})
    try:
        yield s
    finally:
        await s.close()


async def test_an_abandoned_chat_does_not_count_in_a_later_queue(
    quick_stack: Stack, browser: Browser
) -> None:
    desk = await quick_stack.desk(DESK)
    gone = await open_page(browser, quick_stack.web_url + "/demo/", PHONE)
    await gone.open_chat()
    await gone.send("Hei, onko ketään?")
    await desk.next_message("offer")
    await expect(gone.panel.locator("#state")).to_have_text(
        "Odotetaan kirjastonhoitajaa. Olet jonossa sijalla 1."
    )
    await gone.context.close()  # the patron closes the tab before anyone answers
    await asyncio.sleep(GRACE + 1.5)  # past the grace period (the scenario, not a measurement)

    later = await open_page(browser, quick_stack.web_url + "/demo/", PHONE)
    await later.open_chat()
    await later.send("Miten uusin lainani?")
    await expect(later.panel.locator("#state")).to_have_text(
        "Odotetaan kirjastonhoitajaa. Olet jonossa sijalla 1."
    )
    assert later.errors == []
