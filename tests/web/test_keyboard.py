"""The whole chat with the keyboard only: reach the launcher, open, write, use the menu, end,
close — with a visible focus indicator on every stop."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Frame, Page, expect

from tests.support.stack import Stack
from tests.web.widget_page import DESKTOP, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"

# The focused element (inside the widget's shadow root or the panel's document) and
# whether it shows a focus indicator: an outline or a box-shadow ring.
FOCUS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  return {id: el.id, cls: el.className, tag: el.tagName, ring};
}"""


async def focused(where: Page | Frame) -> dict[str, object]:
    info = await where.evaluate(FOCUS)
    assert info is not None
    return info


def widget_frame(page: Page) -> Frame:
    return next(f for f in page.frames if "/widget/" in f.url)


async def tab_until(page: Page, where_fn, want: str, key: str = "Tab", limit: int = 40) -> None:
    """Press `key` until the focused element's id or class is `want`; each stop shows focus."""
    for _ in range(limit):
        await page.keyboard.press(key)
        where = where_fn()
        info = await focused(where)
        if info["tag"] in ("BODY", "IFRAME"):
            continue
        assert info["ring"], f"no visible focus on {info}"
        if want in (info["id"], info["cls"]):
            return
    raise AssertionError(f"never reached {want} with {key}")


async def test_keyboard_only(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    page = patron.page
    await tab_until(page, lambda: page.main_frame, "launcher")
    await page.keyboard.press("Enter")
    await patron.wait_connected()
    frame = widget_frame(page)
    await expect(patron.input).to_be_focused()

    await page.keyboard.type("Hei näppäimistöltä")
    await page.keyboard.press("Enter")
    await expect(patron.messages("patron").locator(".delivery")).to_have_text("Perillä")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei! Ohje: https://piki.example/ohje")
    await expect(patron.messages("librarian")).to_have_count(1)

    # Back through the reply's link and the conversation to the menu button.
    await tab_until(page, lambda: frame, "options-toggle", key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(patron.panel.locator("#options")).to_be_visible()
    assert (await focused(frame))["id"] == "download"
    await page.keyboard.press("Escape")  # closes the menu, back on its button
    await expect(patron.panel.locator("#options")).to_be_hidden()
    assert (await focused(frame))["id"] == "options-toggle"

    await page.keyboard.press("Enter")
    await tab_until(page, lambda: frame, "end")
    await page.keyboard.press("Enter")
    assert (await focused(frame))["id"] == "end-no"  # the safe choice, not "Yes, end chat"
    await page.keyboard.press("Enter")  # "No, continue": back to writing
    assert (await focused(frame))["id"] == "text"

    await page.keyboard.press("Escape")  # minimise: focus returns to the launcher
    await expect(page.locator("#tiski-chat iframe")).to_be_hidden()
    await expect(patron.launcher).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(patron.input).to_be_focused()

    # End the chat for real; the transcript can then be downloaded from the keyboard.
    await tab_until(page, lambda: frame, "options-toggle", key="Shift+Tab")
    await page.keyboard.press("Enter")
    await tab_until(page, lambda: frame, "end")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Shift+Tab")  # from "No, continue" back to "Yes, end chat"
    await page.keyboard.press("Enter")
    await expect(patron.panel.locator("#state")).to_have_text("Chat on päättynyt.")
    assert (await focused(frame))["id"] == "rating-title"  # asked for a rating (test_rating.py)
    await tab_until(page, lambda: frame, "ended-download")  # past the rating form
    async with page.expect_download() as info:
        await page.keyboard.press("Enter")
    download = await info.value
    path = await download.path()
    transcript = path.read_text(encoding="utf-8")
    assert "Sinä: Hei näppäimistöltä" in transcript
    assert "Tampere: Hei! Ohje: https://piki.example/ohje" in transcript
    # Print: only the transcript is printed (the print stylesheet hides the panel).
    await frame.evaluate("window.print = () => { window.printed = true; }")
    await page.keyboard.press("Tab")  # "Print transcript"
    await page.keyboard.press("Enter")
    assert await frame.evaluate("window.printed === true")
    await page.emulate_media(media="print")
    await expect(patron.panel.locator("#print-area")).to_contain_text("Sinä: Hei näppäimistöltä")
    await expect(patron.panel.locator("#panel")).to_be_hidden()
    await page.emulate_media(media="screen")
    ended = await desk.next_message("ended")
    assert ended.frm == offer.frm
    assert patron.errors == []
