"""400 % zoom (WCAG 1.4.10 reflow): at 320×256 CSS px — a 1280×1024 screen zoomed to 400 % —
the header and the status collapse, the conversation keeps at least three lines in view and
the message box stays on screen; nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.widget_page import open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
ZOOM_400 = {"width": 320, "height": 256}  # 1280×1024 at 400 %
ZOOM_400_WIDE = {"width": 320, "height": 200}  # 1280×800 at 400 %

MEASURE = """() => {
  const box = (id) => document.getElementById(id).getBoundingClientRect();
  const text = document.querySelector('#log .msg .text') || document.getElementById('hint');
  return {
    viewport: {width: innerWidth, height: innerHeight},
    scrollWidth: document.documentElement.scrollWidth,
    log: box('log-wrap').height,
    line: parseFloat(getComputedStyle(text).lineHeight),
    composer: {top: box('composer').top, bottom: box('composer').bottom},
    input: {top: box('text').top, bottom: box('text').bottom},
    head: box('panel').top,
  };
}"""


@pytest.mark.parametrize("viewport", [ZOOM_400, ZOOM_400_WIDE], ids=["1280x1024", "1280x800"])
async def test_400_percent_zoom_keeps_three_lines_and_the_composer(
    stack: Stack, browser: Browser, viewport: dict[str, int]
) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(
        browser, stack.web_url + "/demo/", viewport, device_scale_factor=4, bypass_csp=True
    )
    await patron.open_chat()
    for text in ("Hei", "Miten uusin lainat?", "Entä varaukset?"):
        await patron.send(text)
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei! Lainat uusitaan verkkokirjastossa, kohdassa Omat tiedot.")
    await expect(patron.messages("librarian")).to_have_count(1)
    await expect(patron.panel.locator("#state")).to_contain_text("Tampere vastaa")
    frame = widget_frame(patron.page)
    m = await frame.evaluate(MEASURE)
    height = viewport["height"]
    assert m["viewport"] == viewport  # the panel takes the whole screen
    assert m["scrollWidth"] <= 320, "the panel scrolls sideways"
    assert m["log"] >= 3 * m["line"], f"the conversation shows fewer than three lines: {m}"
    assert 0 <= m["input"]["top"] and m["composer"]["bottom"] <= height, f"the composer is off screen: {m}"
    await expect(patron.input).to_be_in_viewport()
    await expect(patron.panel.locator("#state")).to_be_visible()  # collapsed, still there
    await expect(patron.panel.locator("#close")).to_be_visible()
    assert await serious_violations(frame) == []
    if viewport == ZOOM_400:
        await patron.screenshot("zoom-400-chat")
    # Writing and sending works as usual.
    await patron.send("Kiitos!")
    await expect(patron.input).to_be_in_viewport()
    assert patron.errors == []
