"""axe-core (from the npm registry, tests/web/package.json) finds no serious or critical
accessibility problem on the demo page with the launcher, nor in the chat panel's states.

Install once: npm ci --prefix tests/web   (or: npm install --prefix tests/web)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import CLOSED_DAY, Stack, start_stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


@pytest.fixture
async def closed_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    s = await start_stack(tmp_path, clock=CLOSED_DAY)
    try:
        yield s
    finally:
        await s.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_no_serious_violations_in_a_chat(
    stack: Stack, browser: Browser, viewport: dict[str, int]
) -> None:
    desk = await stack.desk(DESK)
    # bypass_csp only lets the test inject axe; the widget itself runs under its strict CSP.
    patron = await open_page(browser, stack.web_url + "/demo/search.html?q=kissa", viewport, bypass_csp=True)
    assert await serious_violations(patron.page) == []  # the host page with the launcher

    await patron.open_chat()
    await patron.send("Miten varaan kirjan?")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Paina Varaa-painiketta. Ohje: https://piki.example/varaus")
    await expect(patron.messages("librarian")).to_have_count(1)
    desk.typing(offer.frm, "composing")
    await expect(patron.panel.locator("#typing")).to_be_visible()
    await patron.panel.locator("#options-toggle").click()
    await expect(patron.panel.locator("#options")).to_be_visible()
    assert await serious_violations(widget_frame(patron.page)) == []
    assert await serious_violations(patron.page) == []  # the page with the panel open


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_no_serious_violations_in_the_rating(
    stack: Stack, browser: Browser, viewport: dict[str, int]
) -> None:
    """The rating asked after the end: the form, its error, and the thanks."""
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", viewport, bypass_csp=True)
    await patron.open_chat()
    await patron.send("Kiitos avusta!")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Ole hyvä!")
    await expect(patron.messages("librarian")).to_have_count(1)
    desk.say(offer.frm, "/end")
    await expect(patron.panel.locator("#rating")).to_be_visible()
    frame = widget_frame(patron.page)
    assert await serious_violations(frame) == []
    await patron.panel.locator("#rating-send").click()  # no score: the error is shown
    await expect(patron.panel.locator("#rating-error")).to_be_visible()
    assert await serious_violations(frame) == []
    await patron.panel.get_by_role("radio", name="3 tyydyttävä").check()
    await patron.panel.locator("#rating-send").click()
    await expect(patron.panel.locator("#rating-thanks")).to_be_visible()
    assert await serious_violations(frame) == []


async def test_no_serious_violations_when_closed(closed_stack: Stack, browser: Browser) -> None:
    patron = await open_page(browser, closed_stack.web_url + "/demo/", PHONE, bypass_csp=True)
    await patron.open_chat()
    await expect(patron.panel.locator("#leave")).to_be_visible()
    await patron.panel.get_by_role("button", name="Lähetä viesti").click()  # shows the error
    await expect(patron.panel.locator("#leave-error")).to_be_visible()
    assert await serious_violations(widget_frame(patron.page)) == []
