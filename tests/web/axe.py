"""axe-core (from the npm registry, tests/web/package.json) run in a page or the panel's frame.

Install once: npm ci --prefix tests/web   (or: npm install --prefix tests/web)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Frame, Page

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run `npm ci --prefix tests/web` ({AXE} missing)")
    return AXE.read_text(encoding="utf-8")


async def serious_violations(where: Page | Frame) -> list[dict[str, Any]]:
    """Run axe in one document (WCAG 2.1 A/AA rules and best practices).

    The page must allow the injected script (open it with `bypass_csp=True`)."""
    if await where.evaluate("typeof axe === 'undefined'"):
        await where.add_script_tag(content=axe_source())
    result = await where.evaluate("""async () => {
      // A line still fading in (160 ms) would be measured at part of its contrast.
      await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
      const r = await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        iframes: false,
      });
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
    }""")
    return [v for v in result if v["impact"] in SERIOUS]


def widget_frame(page: Page) -> Frame:
    """The chat panel's frame in a page with the widget."""
    return next(f for f in page.frames if "/widget/" in f.url)
