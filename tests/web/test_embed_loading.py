"""When the chat cannot load, the patron is never stranded: a site that may not embed the chat
gets no launcher (and its admin one clear warning); a panel that does not come gives way to the
library's own contacts; on a slow network the patron sees a shell in the page's language with a
close button, and the panel's HTML arrives already in that language."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest
from playwright.async_api import Browser, ConsoleMessage, Route, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations
from tests.web.sites import LibrarySite, script
from tests.web.widget_page import LAUNCHER_NAME, PHONE, open_page

pytestmark = pytest.mark.browser

CHAT_LINK = '<p><a href="#" data-tiski-open>Chat</a></p>'


def warning_about(text: str):
    return lambda m: m.type == "warning" and text in m.text


async def test_no_launcher_where_the_site_is_not_allowed(
    stack: Stack, other_site: LibrarySite, browser: Browser
) -> None:
    url = other_site.page("/", CHAT_LINK + script(stack, 'data-lang="fi"'))
    context = await browser.new_context(viewport=PHONE, locale="fi-FI", bypass_csp=True)
    page = await context.new_page()
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    async with page.expect_console_message(warning_about("allowed_origins")) as info:
        await page.goto(url)
    warning: ConsoleMessage = await info.value
    # One warning that names the setting and the exact origin to add.
    assert f'"{other_site.origin}"' in warning.text and "web.allowed_origins" in warning.text
    await expect(page.locator("#tiski-chat .launcher")).to_be_hidden()
    await expect(page.get_by_role("button", name=LAUNCHER_NAME)).to_have_count(0)
    assert await serious_violations(page) == []

    # The site's own "Chat" link opens the library's contacts, never a refused frame.
    await page.get_by_role("link", name="Chat").click()
    dialog = page.get_by_role("dialog", name="Chattaa kirjastonhoitajan kanssa")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("status")).to_contain_text("Chattia ei juuri nyt saa auki.")
    phone = dialog.get_by_role("link", name="03 5656 4000")
    await expect(phone).to_have_attribute("href", "tel:0356564000")
    await expect(dialog.get_by_role("link", name="https://tampere.example/")).to_be_visible()
    await expect(dialog.get_by_role("button", name="Sulje chat")).to_be_focused()
    assert await page.locator("#tiski-chat iframe").count() == 0
    assert await serious_violations(page) == []
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("link", name="Chat")).to_be_focused()
    assert [w for w in warnings if "allowed_origins" in w] == [warning.text]
    await context.close()


async def test_a_panel_that_does_not_load_gives_way_to_the_fallback(
    stack: Stack, other_site: LibrarySite, browser: Browser
) -> None:
    """Without the bridge's answer (an older bridge, or a site CSP that blocks the request)
    the launcher shows; the browser then refuses the panel (frame-ancestors) on this site."""
    url = other_site.page("/", script(stack, 'data-lang="fi"'))
    context = await browser.new_context(viewport=PHONE, locale="fi-FI", bypass_csp=True)
    await context.route(re.compile(r".*/embed/config.*"), lambda route: route.abort())
    patron = await open_page(browser, url, PHONE, context=context)
    page = patron.page
    async with page.expect_console_message(warning_about("did not load")) as info:
        await patron.launcher.click()
        dialog = page.get_by_role("dialog")
        await expect(dialog.get_by_role("status")).to_have_text("Yhdistetään…")
        await expect(dialog.get_by_role("button", name="Sulje chat")).to_be_focused()
    warning = await info.value
    assert f'"{other_site.origin}"' in warning.text and "web.allowed_origins" in warning.text
    await expect(dialog.get_by_role("status")).to_have_text("Chattia ei juuri nyt saa auki.")
    await expect(dialog.get_by_role("button", name="Yritä uudelleen")).to_be_visible()
    await expect(dialog.get_by_role("button", name="Sulje chat")).to_be_focused()  # announced, not moved
    await expect(page.locator("#tiski-chat iframe")).to_be_hidden()  # not the browser's error page
    assert await serious_violations(page) == []
    # Full screen on a phone, and Escape still gets out (it did not, with the refused frame).
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(patron.launcher).to_be_focused()
    assert patron.errors == []
    await context.close()


async def test_slow_network_shows_a_shell_in_the_page_language_then_the_panel(
    stack: Stack, library_site: LibrarySite, browser: Browser
) -> None:
    url = library_site.page("/", script(stack, 'data-lang="fi"'))
    html_gate, scripts_gate = asyncio.Event(), asyncio.Event()

    async def slow(route: Route) -> None:
        """The panel's HTML waits for html_gate, its scripts and texts for scripts_gate."""
        path = route.request.url.split("?")[0]
        await (scripts_gate if re.search(r"\.(js|json)$", path) else html_gate).wait()
        await route.continue_()

    # The browser speaks English; the page is Finnish: the page's language wins.
    context = await browser.new_context(viewport=PHONE, locale="en-US", bypass_csp=True)
    await context.route(re.compile(r".*/widget/.*"), slow)
    patron = await open_page(browser, url, PHONE, context=context)
    page = patron.page
    await patron.launcher.click()
    dialog = page.get_by_role("dialog", name="Chattaa kirjastonhoitajan kanssa")
    await expect(dialog.get_by_role("heading")).to_have_text("Chattaa kirjastonhoitajan kanssa")
    await expect(dialog.get_by_role("status")).to_have_text("Yhdistetään…")
    close = dialog.get_by_role("button", name="Sulje chat")
    await expect(close).to_be_focused()
    assert await serious_violations(page) == []
    await page.keyboard.press("Escape")  # the patron can leave while it loads
    await expect(dialog).to_be_hidden()
    await expect(patron.launcher).to_be_focused()
    await patron.launcher.click()
    await expect(close).to_be_focused()

    # The HTML arrives while the scripts are still on their way: already Finnish.
    html_gate.set()
    frame = page.frame_locator("#tiski-chat iframe")
    await expect(frame.locator("html")).to_have_attribute("lang", "fi")
    await expect(frame.locator("#title")).to_have_text("Kysy kirjastonhoitajalta")
    await expect(frame.locator("#conn-text")).to_have_text("Yhdistetään…")
    await expect(frame.locator("#text")).to_have_attribute("placeholder", "Kirjoita kysymyksesi…")
    await expect(page.locator("#tiski-chat iframe")).to_be_hidden()  # the shell still stands in

    scripts_gate.set()
    await patron.wait_connected()
    await expect(page.locator("#tiski-chat iframe")).to_be_visible()
    await expect(page.locator("#tiski-chat .shell")).to_be_hidden()
    await expect(patron.input).to_be_focused()  # focus moved from the shell into the panel
    assert patron.errors == []
    await context.close()


@pytest.mark.parametrize(
    ("query", "accept", "lang", "heading"),
    [
        ("?lang=fi", "en-US,en;q=0.9", "fi", "Kysy kirjastonhoitajalta"),
        ("", "sv-FI,sv;q=0.9,en;q=0.5", "sv", "Fråga en bibliotekarie"),
        ("", "de-DE,fi;q=0.7,en;q=0.8", "en", "Ask a librarian"),
        ("?lang=xx", "fi", "fi", "Kysy kirjastonhoitajalta"),
    ],
)
async def test_panel_html_in_the_language_from_the_first_byte(
    stack: Stack, query: str, accept: str, lang: str, heading: str
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{stack.web_url}/widget/{query}", headers={"Accept-Language": accept}) as r,
    ):
        assert r.status == 200
        page = await r.text()
        assert "frame-ancestors" in r.headers["Content-Security-Policy"]
        assert "Accept-Language" in r.headers["Vary"]
    assert f'<html lang="{lang}">' in page
    assert f'id="title" data-i18n="heading">{heading}</h1>' in page


async def test_config_says_which_sites_may_embed(stack: Stack) -> None:
    url = f"{stack.web_url}/embed/config?library=tampere"
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Origin": "https://library.example"}) as r:
            allowed = await r.json()
            assert r.headers["Access-Control-Allow-Origin"] == "*"
        async with http.get(url, headers={"Origin": "https://elsewhere.example"}) as r:
            refused = await r.json()
    assert allowed["allowed"] is True and refused["allowed"] is False
    assert refused["origin"] == "https://elsewhere.example"
    assert refused["library"] == {
        "id": "tampere",
        "name": "Tampere",
        "phone": "03 5656 4000",
        "url": "https://tampere.example/",
    }
