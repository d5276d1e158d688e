"""The widget's pure modules (texts, link building) in Chromium, served straight from
web_embed/ — no bridge needed."""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Route

pytestmark = pytest.mark.browser

WEB_EMBED = Path(__file__).resolve().parents[2] / "web_embed"
ORIGIN = "http://widget.test"


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(timezone_id="Europe/Helsinki")

    async def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN).split("?")[0]
        file = (WEB_EMBED / path.lstrip("/")).resolve()
        if WEB_EMBED not in file.parents or not file.is_file():
            await route.fulfill(status=404)
            return
        ctype = "text/javascript" if file.suffix == ".js" else mimetypes.guess_type(file.name)[0]
        await route.fulfill(body=file.read_bytes(), content_type=ctype or "text/plain")

    await context.route(f"{ORIGIN}/**", serve)
    p = await context.new_page()
    await p.route(
        f"{ORIGIN}/", lambda r: r.fulfill(body="<!doctype html><title>t</title>", content_type="text/html")
    )
    await p.goto(f"{ORIGIN}/")
    yield p
    await context.close()


async def test_every_language_has_every_text(page: Page) -> None:
    keys = await page.evaluate("""async () => {
      const {TEXTS} = await import('/widget/i18n.js');
      return Object.fromEntries(Object.entries(TEXTS).map(([lang, t]) =>
        [lang, Object.keys(t).filter(k => String(t[k]).trim()).sort()]));
    }""")
    assert set(keys) == {"fi", "sv", "en"}
    assert keys["fi"] == keys["en"] and keys["sv"] == keys["en"]
    langs = await page.evaluate("""async () => {
      const {pickLang} = await import('/widget/i18n.js');
      return ['fi-FI', 'sv', 'EN-gb', 'de', '', null].map(pickLang);
    }""")
    assert langs == ["fi", "sv", "en", "en", "en", "en"]


LINKIFY = """async ([text, links]) => {
  const {appendText} = await import('/widget/linkify.js');
  const p = document.createElement('p');
  appendText(p, text, links);
  return {text: p.textContent, html: p.innerHTML,
          links: [...p.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent,
                                                      a.rel, a.target])};
}"""


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("Katso https://piki.fi/ohje.", [["https://piki.fi/ohje", "https://piki.fi/ohje"]]),
        (
            "(http://a.example/x) ja https://b.example/wiki/Kissa_(eläin)",
            [
                ["http://a.example/x", "http://a.example/x"],
                ["https://b.example/wiki/Kissa_(el%C3%A4in)", "https://b.example/wiki/Kissa_(eläin)"],
            ],
        ),
        ("javascript:alert(1) data:text/html,<b>x</b> ftp://x.example", []),
        ('<a href="https://x.example">x</a>', [["https://x.example/", "https://x.example"]]),
    ],
)
async def test_links_are_built_not_parsed(page: Page, text: str, links: list[list[str]]) -> None:
    out = await page.evaluate(LINKIFY, [text, True])
    assert out["text"] == text  # every character survives as text
    assert [link[:2] for link in out["links"]] == links
    assert all(link[2:] == ["noopener noreferrer", "_blank"] for link in out["links"])
    assert "<b>" not in out["html"] and "<script" not in out["html"]


async def test_patron_lines_get_no_links(page: Page) -> None:
    out = await page.evaluate(LINKIFY, ["https://x.example <i>y</i>", False])
    assert out["links"] == [] and out["text"] == "https://x.example <i>y</i>"


async def test_rating_answer_belongs_to_one_chat(page: Page) -> None:
    """The "rated"/"declined" mark is kept with the token and forgotten with it (a new chat)."""
    out = await page.evaluate("""async () => {
      const {ChatStorage} = await import('/widget/storage.js');
      const s = new ChatStorage('tampere');
      const seen = [];
      s.token = 'tok-1'; seen.push(s.rating);
      s.rating = 'rated'; seen.push(s.rating);
      s.token = 'tok-1'; seen.push(s.rating);   // the same chat resumed (welcome again)
      s.token = 'tok-2'; seen.push(s.rating);   // a new chat asks again
      s.rating = 'declined'; s.token = null; seen.push(s.rating);
      return seen;
    }""")
    assert out == [None, "rated", "rated", None, None]


async def test_suggestions_belong_to_one_chat_and_only_well_formed_ones_are_kept(page: Page) -> None:
    """The "Did you mean" choices are kept with the token (a reload shows them again), forgotten
    with it, and a malformed option from storage is dropped, not shown as an empty button."""
    out = await page.evaluate("""async () => {
      const {ChatStorage} = await import('/widget/storage.js');
      const s = new ChatStorage('tampere');
      const seen = [];
      s.token = 'tok-1';
      s.suggestions = [{faq: 'renew', label: 'Miten uusin lainani?'}, {faq: 'x', label: ' '},
                       {faq: 3, label: 'y'}, {label: 'z'}, null];
      seen.push(s.suggestions.map(o => o.faq));
      s.token = 'tok-1'; seen.push(s.suggestions.length);   // the same chat resumed
      s.token = 'tok-2'; seen.push(s.suggestions.length);   // a new chat: none
      s.suggestions = [{faq: 'hours', label: 'Aukioloajat'}];
      s.suggestions = []; seen.push(sessionStorage.getItem('tiski.tampere.suggestions'));
      return seen;
    }""")
    assert out == [["renew"], 1, 0, None]


async def test_dates_and_times_in_each_language_order(page: Page) -> None:
    """Day before month and a 24-hour clock in every language; English spells the month."""
    out = await page.evaluate("""async () => {
      const {formatWhen, formatDate, timeFormatter} = await import('/widget/view.js');
      const iso = '2026-11-30T08:00:00Z';  // Monday 10:00 in Helsinki
      return Object.fromEntries(['fi', 'sv', 'en'].map(l => [l, [formatWhen(l, iso),
        formatDate(l, new Date(iso)), timeFormatter(l)('2026-11-30T13:05:00Z')]]));
    }""")
    assert out["fi"] == ["maanantaina 30.11. klo 10.00", "30.11.2026", "15.05"]
    assert out["sv"] == ["måndag 30.11 10.00", "30 nov. 2026", "15.05"]
    assert out["en"] == ["Monday 30 November at 10:00", "30 Nov 2026", "15:05"]
