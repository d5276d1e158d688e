"""Helpers that drive the demo library pages and the chat widget the way a patron would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, FrameLocator, Locator, Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 640}
PHONE_LARGE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# The launcher's accessible name contains "chat" in every language (fi "Chattaa …").
LAUNCHER_NAME = re.compile("chat", re.IGNORECASE)


@dataclass
class PatronPage:
    """One browser tab on a demo page, with the widget embedded."""

    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    @property
    def launcher(self) -> Locator:
        # By role and name (the contract), and the launcher itself: while the panel loads,
        # its shell's "Close chat" button matches the name too.
        named = self.page.get_by_role("button", name=LAUNCHER_NAME)
        return named.and_(self.page.locator("#tiski-chat .launcher"))

    @property
    def panel(self) -> FrameLocator:
        return self.page.frame_locator("#tiski-chat iframe")

    @property
    def input(self) -> Locator:
        return self.panel.locator("#text")

    def messages(self, sender: str) -> Locator:
        return self.panel.locator(f"#log li.from-{sender}")

    async def open_chat(self) -> None:
        """Tap the launcher once; the panel is there and connected."""
        await self.launcher.click()
        await expect(self.page.locator("#tiski-chat iframe")).to_be_visible()
        await self.wait_connected()

    async def send(self, text: str) -> Locator:
        """Type a line and press Enter; returns its list item."""
        await self.input.fill(text)
        await self.input.press("Enter")
        item = self.messages("patron").filter(has_text=text).last
        await expect(item).to_be_visible()
        return item

    async def wait_connected(self) -> None:
        await expect(self.panel.locator("#conn")).to_have_attribute("data-state", "open")

    async def screenshot(self, name: str, **kwargs: Any) -> Path:
        """Save docs/screenshots/NAME.png once animations and smooth scrolling are done."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await self.page.wait_for_timeout(600)
        await self.page.screenshot(path=str(path), animations="disabled", **kwargs)
        return path


async def open_page(
    browser: Browser,
    url: str,
    viewport: dict[str, int] = DESKTOP,
    *,
    context: BrowserContext | None = None,
    **context_options: Any,
) -> PatronPage:
    """Open `url` in a new tab (of a new context unless one is given)."""
    if context is None:
        context_options.setdefault("locale", "fi-FI")
        context_options.setdefault("timezone_id", "Europe/Helsinki")
        context = await browser.new_context(viewport=viewport, **context_options)  # type: ignore[arg-type]
    page = await context.new_page()
    patron = PatronPage(context, page)
    page.on("pageerror", lambda e: patron.errors.append(str(e)))
    await page.goto(url)
    await expect(page.locator("#tiski-chat .launcher")).to_be_attached()
    return patron


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Do two bounding boxes ({x, y, width, height}) intersect?"""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )
