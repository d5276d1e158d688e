"""Phones: the closed launcher covers none of the search page's filter controls, and the open
panel takes the screen and closes back to where the patron was."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.support.stack import Stack
from tests.web.widget_page import DESKTOP, PHONE, PHONE_LARGE, open_page, overlap

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
FILTER_CONTROLS = (
    "#filters input:not([type=hidden]), #filters select, #filters button, "
    "#filters label, .toolbar select, .searchbox input, .searchbox button"
)

# For every filter control in view: its box, and what the browser hits at a few points
# inside it (the widget's host element there would mean the launcher covers it).
PROBE = """(selector) => {
  const host = document.getElementById('tiski-chat');
  const launcher = host.shadowRoot.querySelector('.launcher');
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const controls = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom <= 0 || r.top >= vh) continue;
    const points = [[r.left + r.width / 2, r.top + r.height / 2], [r.left + 2, r.top + 2],
                    [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]]
      .filter(([x, y]) => x >= 0 && y >= 0 && x < vw && y < vh);
    const covered = points.some(([x, y]) => document.elementFromPoint(x, y) === host);
    controls.push({name: el.outerHTML.slice(0, 60), covered,
                   box: {x: r.left, y: r.top, width: r.width, height: r.height}});
  }
  const l = launcher.getBoundingClientRect();
  return {mode: launcher.dataset.mode, hidden: launcher.hidden, controls,
          launcher: {x: l.left, y: l.top, width: l.width, height: l.height}};
}"""


async def assert_clear_of_filters(page: Page) -> str:
    await page.wait_for_timeout(300)  # the launcher moves once scrolling has settled (150 ms)
    seen = await page.evaluate(PROBE, FILTER_CONTROLS)
    assert seen["controls"], "no filter control in view"
    visible = not seen["hidden"] and seen["mode"] != "stowed"
    for c in seen["controls"]:
        assert not c["covered"], f"launcher ({seen['mode']}) covers {c['name']}"
        if visible:
            assert not overlap(seen["launcher"], c["box"]), (
                f"launcher {seen['launcher']} ({seen['mode']}) overlaps {c['name']} {c['box']}"
            )
    return str(seen["mode"])


@pytest.mark.parametrize("viewport", [PHONE, PHONE_LARGE], ids=["360x640", "390x844"])
async def test_launcher_never_covers_the_filters(
    stack: Stack, browser: Browser, viewport: dict[str, int]
) -> None:
    patron = await open_page(browser, stack.web_url + "/demo/search.html?q=kissa", viewport)
    page = patron.page
    first = await assert_clear_of_filters(page)
    assert first in ("round", "tab"), "the launcher should be on screen when the page opens"
    await expect(patron.launcher).to_be_visible()
    if viewport == PHONE:
        await patron.screenshot("phone-search-launcher")
    # Bring each filter control to the bottom of the screen, where launchers usually sit.
    count = await page.locator(FILTER_CONTROLS).count()
    for i in range(count):
        await page.locator(FILTER_CONTROLS).nth(i).evaluate("el => el.scrollIntoView({block: 'end'})")
        await assert_clear_of_filters(page)
    # Keyboard users can always reach it, wherever it is.
    await patron.launcher.focus()
    await expect(patron.launcher).to_be_visible()
    assert patron.errors == []


async def test_phone_panel_takes_the_screen_and_returns_to_the_same_place(
    stack: Stack, browser: Browser
) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/search.html?q=kissa", PHONE)
    page = patron.page
    await page.evaluate("window.scrollTo(0, 900)")
    await page.wait_for_timeout(300)
    y = await page.evaluate("window.scrollY")
    assert y == 900

    await patron.open_chat()
    frame = page.locator("#tiski-chat iframe")
    assert await frame.bounding_box() == {"x": 0, "y": 0, "width": 360, "height": 640}
    await expect(patron.launcher).to_be_hidden()
    await patron.send("Miten rajaan haun e-kirjoihin?")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Valitse Aineistotyyppi-kohdasta E-kirja. Ohje: https://piki.example/haku")
    await expect(patron.messages("librarian")).to_have_count(1)
    await patron.screenshot("phone-chat-open")

    await patron.panel.get_by_role("button", name="Pienennä chat").click()
    await expect(frame).to_be_hidden()
    await expect(patron.launcher).to_be_focused()
    assert await page.evaluate("window.scrollY") == y
    assert page.url.endswith("/demo/search.html?q=kissa")

    # The phone's Back button closes the chat instead of leaving the page.
    await patron.launcher.click()
    await expect(frame).to_be_visible()
    await page.evaluate("history.back()")
    await expect(frame).to_be_hidden()
    assert page.url.endswith("/demo/search.html?q=kissa")
    assert await page.evaluate("window.scrollY") == y
    assert patron.errors == []


async def test_desktop_panel_beside_the_page(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/search.html?q=kissa", DESKTOP)
    await expect(patron.launcher).to_have_attribute("data-mode", "pill")
    await patron.screenshot("desktop-search-launcher")
    await patron.open_chat()
    box = await patron.page.locator("#tiski-chat iframe").bounding_box()
    assert box is not None and box["width"] == 400 and box["x"] + box["width"] == 1280 - 16
    # The launcher stays as the toggle that closes the panel.
    await expect(patron.launcher).to_have_attribute("aria-expanded", "true")
    await patron.send("Onko Kissani Jugoslavia saatavilla äänikirjana?")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei! On, Celia-palvelussa. Katso https://piki.example/celia")
    await expect(patron.messages("librarian")).to_have_count(1)
    await patron.screenshot("desktop-chat-open")
    await patron.launcher.click()
    await expect(patron.page.locator("#tiski-chat iframe")).to_be_hidden()
