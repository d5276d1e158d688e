"""embed.js on a library's own site (another origin than the bridge): options by data
attributes and page patterns. Sites that may not embed the chat: test_embed_loading.py."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.sites import LibrarySite, script
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


async def test_options_and_chat_from_the_library_site(
    stack: Stack, library_site: LibrarySite, browser: Browser
) -> None:
    desk = await stack.desk(DESK)
    url = library_site.page(
        "/search?q=katt", script(stack, 'data-lang="sv" data-position="left" data-color="#ffd400"')
    )
    patron = await open_page(browser, url, DESKTOP)
    launcher = patron.launcher
    await expect(launcher).to_have_accessible_name("Chatta med en bibliotekarie")
    await expect(launcher).to_have_attribute("data-side", "left")
    box = await launcher.bounding_box()
    assert box is not None and box["x"] == 16
    # Yellow is the library's colour: the text on it turns near-black for contrast.
    assert await launcher.evaluate("el => getComputedStyle(el).color") == "rgb(17, 17, 17)"

    await patron.open_chat()
    head = patron.panel.locator(".head")
    assert await head.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 212, 0)"
    assert await head.evaluate("el => getComputedStyle(el).color") == "rgb(17, 17, 17)"
    await expect(patron.panel.locator("#title")).to_have_text("Fråga en bibliotekarie")
    await patron.send("Har ni Kattresan på svenska?")
    await expect(patron.messages("patron").locator(".delivery")).to_have_text("Levererat")
    offer = await desk.next_message("offer")
    assert offer.chat["lang"] == "sv"
    assert offer.chat["page"] == url

    # Minimise inside the cross-site panel: postMessage back to the page.
    await patron.panel.get_by_role("button", name="Minimera chatten").click()
    await expect(patron.page.locator("#tiski-chat iframe")).to_be_hidden()
    await expect(launcher).to_be_focused()
    assert patron.errors == []


async def test_page_patterns_hide_or_shrink_the_launcher(
    stack: Stack, library_site: LibrarySite, browser: Browser
) -> None:
    # Same site (another port), as with chat.library.example for www.library.example: the
    # panel may keep its session token even where browsers block third-party storage.
    tag = script(
        stack, 'data-lang="fi" data-hide-on="/record/*" data-tab-on="/search*, /events"', host="localhost"
    )
    for path in ("/record/123", "/search", "/events", "/"):
        library_site.page(path, tag)
    patron = await open_page(browser, library_site.origin + "/record/123", PHONE)
    await expect(patron.page.locator("#tiski-chat .launcher")).to_be_hidden()
    await patron.page.goto(library_site.origin + "/search?q=kissa")
    await expect(patron.launcher).to_have_attribute("data-mode", "tab")
    await patron.page.goto(library_site.origin + "/events")
    await expect(patron.launcher).to_have_attribute("data-mode", "tab")
    await patron.page.goto(library_site.origin + "/")
    await expect(patron.launcher).to_have_attribute("data-mode", "round")

    # A chat that is going on keeps a tab even where the launcher is hidden.
    await patron.open_chat()
    await patron.send("Hei")
    await patron.panel.locator("#close").click()
    # Closing the full-screen panel steps back over its history entry; let that finish.
    await patron.page.wait_for_function("!(history.state && history.state.tiskiPanel)")
    await patron.page.goto(library_site.origin + "/record/123")
    await expect(patron.launcher).to_have_attribute("data-mode", "tab")
    await expect(patron.launcher).to_be_visible()
    await patron.launcher.click()
    await expect(patron.panel.locator("#log li .text")).to_have_text(["Hei"])
    assert patron.errors == []
