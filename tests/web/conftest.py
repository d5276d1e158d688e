"""Browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser), and
library sites on other origins than the bridge."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.support.stack import Stack
from tests.web.sites import LibrarySite, allow_origin, site_server

CHROMIUM = Path(os.environ.get("TISKI_CHROMIUM", "/usr/bin/chromium"))
HAVE_CHROMIUM = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium for one test."""
    if not HAVE_CHROMIUM:
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture
async def library_site(stack: Stack) -> AsyncIterator[LibrarySite]:
    """A library site at http://localhost:PORT, listed in the bridge's allowed_origins
    (the bridge is at 127.0.0.1: another origin, as in production)."""
    pages: dict[str, str] = {}
    runner, port = await site_server(pages)
    site = LibrarySite(f"http://localhost:{port}", pages)
    await allow_origin(stack, site.origin)
    try:
        yield site
    finally:
        await runner.cleanup()


@pytest.fixture
async def other_site() -> AsyncIterator[LibrarySite]:
    """A site that is not in allowed_origins."""
    pages: dict[str, str] = {}
    runner, port = await site_server(pages)
    try:
        yield LibrarySite(f"http://localhost:{port}", pages)
    finally:
        await runner.cleanup()
