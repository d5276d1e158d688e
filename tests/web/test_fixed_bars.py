"""The closed launcher stays off a fixed cookie bar or sticky footer as a whole — its text,
not only its buttons — and comes back to the corner once the bar is gone."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations
from tests.web.sites import LibrarySite, script
from tests.web.widget_page import DESKTOP, PHONE, open_page, overlap

pytestmark = pytest.mark.browser

COOKIE_BAR = """
<div id="cookies" style="position: fixed; left: 0; right: 0; bottom: 0; display: flex; gap: 16px;
     align-items: center; padding: 16px 24px; background: #222; color: #fff">
  <p style="margin: 0; flex: 1">Käytämme evästeitä sivuston toiminnan ja kävijätilastojen
     keräämiseen. Lue lisää tietosuojaselosteesta.</p>
  <button type="button" onclick="document.getElementById('cookies').remove()">Hyväksy</button>
</div>"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_launcher_stays_off_a_fixed_cookie_bar(
    stack: Stack, library_site: LibrarySite, browser: Browser, viewport: dict[str, int]
) -> None:
    url = library_site.page("/", COOKIE_BAR + script(stack, 'data-lang="fi"'))
    # Reduced motion: the launcher jumps to its place instead of gliding there.
    patron = await open_page(browser, url, viewport, bypass_csp=True, reduced_motion="reduce")
    bar = patron.page.locator("#cookies")
    await expect(patron.launcher).to_be_visible()
    await expect(patron.launcher).not_to_have_attribute("data-mode", "stowed")
    launcher_box, bar_box = await patron.launcher.bounding_box(), await bar.bounding_box()
    assert launcher_box is not None and bar_box is not None
    assert not overlap(launcher_box, bar_box), f"launcher {launcher_box} on the cookie bar {bar_box}"
    assert await serious_violations(patron.page) == []
    if viewport == DESKTOP:
        await patron.screenshot("desktop-cookie-bar-launcher")

    await bar.get_by_role("button", name="Hyväksy").click()  # the bar goes away
    corner = "pill" if viewport == DESKTOP else "round"
    await expect(patron.launcher).to_have_attribute("data-mode", corner)
    box = await patron.launcher.bounding_box()
    assert box is not None and box["y"] + box["height"] == viewport["height"] - 16
    assert patron.errors == []
