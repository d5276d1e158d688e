"""The dark theme follows the system (prefers-color-scheme) and keeps WCAG AA contrast in the
panel, the launcher's shell and the host page's launcher."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.widget_page import PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"

LUMINANCE = """el => {
  const [r, g, b] = getComputedStyle(el).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


async def test_dark_theme_with_good_contrast(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", PHONE, bypass_csp=True, color_scheme="dark")
    await patron.open_chat()
    await patron.send("Onko kirjasto auki lauantaina?")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "On, klo 10–16. Aukioloajat: https://piki.example/aukiolo")
    await expect(patron.messages("librarian")).to_have_count(1)
    body = patron.panel.locator("body")
    assert await body.evaluate(LUMINANCE) < 0.15  # dark, not the light theme
    assert await patron.messages("librarian").evaluate(LUMINANCE) < 0.25
    await patron.panel.locator("#options-toggle").click()
    frame = widget_frame(patron.page)
    assert await serious_violations(frame) == []
    await patron.panel.locator("#options-toggle").click()
    await patron.page.mouse.move(180, 400)  # no hover left on the menu button
    await patron.screenshot("phone-dark-chat")

    desk.say(offer.frm, "/end")  # the ended view with the rating, dark too
    await expect(patron.panel.locator("#rating")).to_be_visible()
    assert await serious_violations(frame) == []
    assert patron.errors == []
