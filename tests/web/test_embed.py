"""embed.js on a library's own site (another origin than the bridge): options by data
attributes, page patterns, and the CSP that keeps other sites from embedding the panel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import yaml
from aiohttp import web
from playwright.async_api import Browser, expect

from demo.prosody import free_port
from tests.support.stack import Stack
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


@dataclass
class LibrarySite:
    """A library's own web site on another origin than the bridge (a real local server)."""

    origin: str
    pages: dict[str, str] = field(default_factory=dict)  # path → the script tag it embeds

    def page(self, path: str, script: str) -> str:
        self.pages[path.split("?")[0]] = script
        return self.origin + path


async def _site_server(pages: dict[str, str]) -> tuple[web.AppRunner, int]:
    async def handler(request: web.Request) -> web.Response:
        body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Library</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Library</h1><p><a href="/other">Another page</a></p></main>
{pages.get(request.path, "")}</body></html>"""
        return web.Response(text=body, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def _allow_origin(stack: Stack, origin: str) -> None:
    config = yaml.safe_load(stack.config_path.read_text())
    config["web"]["allowed_origins"].append(origin)
    stack.config_path.write_text(yaml.safe_dump(config))
    await stack.stop_bridge()
    await stack.start_bridge()


@pytest.fixture
async def library_site(stack: Stack) -> AsyncIterator[LibrarySite]:
    """A library site at http://localhost:PORT, listed in the bridge's allowed_origins
    (the bridge is at 127.0.0.1: another origin, as in production)."""
    pages: dict[str, str] = {}
    runner, port = await _site_server(pages)
    site = LibrarySite(f"http://localhost:{port}", pages)
    await _allow_origin(stack, site.origin)
    try:
        yield site
    finally:
        await runner.cleanup()


@pytest.fixture
async def other_site() -> AsyncIterator[LibrarySite]:
    """A site that is not in allowed_origins."""
    pages: dict[str, str] = {}
    runner, port = await _site_server(pages)
    try:
        yield LibrarySite(f"http://localhost:{port}", pages)
    finally:
        await runner.cleanup()


def script(stack: Stack, attrs: str, host: str = "127.0.0.1") -> str:
    """The embed snippet; the library site is at localhost, so the default bridge address
    127.0.0.1 makes the panel a third-party (cross-site) frame, `localhost` a same-site one."""
    src = f"http://{host}:{stack.web_port}/embed.js"
    return f'<script src="{src}" data-library="tampere" {attrs} async></script>'


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


async def test_other_sites_cannot_embed_the_panel(
    stack: Stack, other_site: LibrarySite, browser: Browser
) -> None:
    url = other_site.page("/", script(stack, 'data-lang="en"'))
    patron = await open_page(browser, url, DESKTOP)
    await patron.launcher.click()
    await patron.page.wait_for_timeout(1500)
    # frame-ancestors refuses the widget page inside this site: no panel, no connection.
    frames = [f for f in patron.page.frames if f != patron.page.main_frame]
    assert frames, "the iframe element is there"
    assert await frames[0].locator("#conn").count() == 0
