"""Closed service with a left message, automatic answers with handoff, and librarian HTML
shown as text — through the real bridge and Prosody."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import PIKI, Stack, start_stack
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
FAQ = Path(__file__).parent / "data" / "faq.yaml"


SATURDAY_NOON = "2026-11-28T12:00:00+02:00"  # PIKI's chat is open Mon–Fri 10–16


@pytest.fixture
async def closed_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    """The PIKI consortium's own roster on a Saturday: closed until Monday 10:00."""
    s = await start_stack(tmp_path, rota=PIKI / "rota.yaml", clock=SATURDAY_NOON)
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def faq_stack(tmp_path: Path) -> AsyncIterator[Stack]:
    s = await start_stack(tmp_path, faq=FAQ)
    try:
        yield s
    finally:
        await s.close()


async def test_closed_shows_hours_next_opening_and_takes_a_message(
    closed_stack: Stack, browser: Browser
) -> None:
    patron = await open_page(browser, closed_stack.web_url + "/demo/", PHONE)
    await patron.open_chat()
    panel = patron.panel
    await expect(panel.locator("#state")).to_have_text("Chat on nyt suljettu.")
    await expect(panel.locator("#closed-hours")).to_contain_text("Chat palvelee:")
    await expect(panel.locator("#closed-hours")).to_contain_text("10")
    await expect(panel.locator("#closed-next")).to_have_text(
        "Seuraavan kerran auki: maanantaina 30.11. klo 10.00"
    )
    await expect(panel.locator("#composer")).to_be_hidden()
    await expect(panel.get_by_role("textbox", name="Viestisi")).to_be_focused()

    await panel.get_by_role("button", name="Lähetä viesti").click()  # empty: told, not sent
    await expect(panel.locator("#leave-error")).to_have_text("Kirjoita ensin viesti.")

    await panel.get_by_role("textbox", name="Viestisi").fill("Voiko kaukolainan tilata chatissa?")
    await expect(panel.locator("#leave-error")).to_be_hidden()  # cleared once the patron writes
    await panel.get_by_role("textbox", name="Sähköposti tai puhelinnumero (vapaaehtoinen)").fill(
        "maija@example.org"
    )
    await panel.locator("#log-wrap").evaluate("el => el.scrollTop = 0")
    await patron.screenshot("phone-closed-leave-message")
    await panel.get_by_role("button", name="Lähetä viesti").click()
    await expect(panel.locator("#leave-thanks")).to_be_visible()
    await expect(panel.locator("#leave-thanks")).to_be_focused()
    # The bridge confirms with a stored system line (a code, translated): kept for the
    # transcript, not shown, so the patron is thanked once, by the form.
    await expect(patron.messages("system")).to_contain_text("Viestisi on tallennettu")
    await expect(patron.messages("system")).to_be_hidden()
    await expect(panel.locator("text=/^Kiitos!/ >> visible=true")).to_have_count(1)

    with sqlite3.connect(closed_stack.directory / "tiski.sqlite3") as db:
        stored = db.execute("SELECT text, contact FROM left_messages").fetchall()
    assert stored == [("Voiko kaukolainan tilata chatissa?", "maija@example.org")]

    await patron.page.reload()  # still thanked, not asked again
    await expect(panel.locator("#leave-thanks")).to_be_visible()
    await expect(panel.locator("#leave")).to_be_hidden()
    await expect(panel.locator("text=/^Kiitos!/ >> visible=true")).to_have_count(1)
    assert patron.errors == []


async def test_automatic_answer_helped_and_handoff(faq_stack: Stack, browser: Browser) -> None:
    desk = await faq_stack.desk(DESK)
    patron = await open_page(browser, faq_stack.web_url + "/demo/", DESKTOP)
    await patron.open_chat()
    await patron.send("Unohdin tunnuslukuni")
    answer = patron.messages("bot").last
    await expect(answer).to_contain_text("Uuden tunnusluvun saat kirjastosta")
    await expect(answer.locator(".who")).to_have_text("Automaattinen vastaus")
    await expect(patron.panel.locator("#state")).to_contain_text("Automaattiset vastaukset")

    await answer.get_by_role("button", name="Tämä auttoi").click()
    await expect(patron.panel.locator(".bot-actions")).to_have_count(0)
    await expect(patron.panel.locator("#log")).to_contain_text("Hienoa!")
    await desk.no_message(0.3)

    await patron.send("Entä jos en muista pin-koodia ja olen ulkomailla?")
    answer = patron.messages("bot").last
    await expect(answer.get_by_role("button", name="Kysy kirjastonhoitajalta")).to_be_visible()
    await patron.screenshot("desktop-automatic-answer")
    await answer.get_by_role("button", name="Kysy kirjastonhoitajalta").click()
    await expect(patron.panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    offer = await desk.next_message("offer")
    assert offer.chat["state"] == "queued"
    desk.say(offer.frm, "Hei, autan tunnusluvun kanssa.")
    await expect(patron.messages("librarian")).to_contain_text("autan tunnusluvun")
    assert patron.errors == []


async def test_html_from_a_librarian_is_shown_as_text(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    await patron.open_chat()
    await patron.send("<i>kursiivi</i> & <script>x()</script>")
    offer = await desk.next_message("offer")
    evil = (
        '<img src=x onerror="window.pwned=1"><b>lihava</b> '
        '<a href="javascript:window.pwned=2">linkki</a> javascript:window.pwned=3 '
        "https://ok.example/a?b=1&c=<2>"
    )
    desk.say(offer.frm, evil)
    reply = patron.messages("librarian").last
    await expect(reply.locator(".text")).to_have_text(evil)
    await expect(reply.locator("img, b, script, i")).to_have_count(0)
    links = reply.locator("a")
    await expect(links).to_have_count(1)  # only the http(s) address became a link
    await expect(links).to_have_attribute("href", "https://ok.example/a?b=1&c=")
    mine = patron.messages("patron").last.locator(".text")
    await expect(mine).to_have_text("<i>kursiivi</i> & <script>x()</script>")
    await expect(patron.messages("patron").locator("i, script")).to_have_count(0)
    widget = next(f for f in patron.page.frames if "/widget/" in f.url)
    assert await widget.evaluate("window.pwned === undefined")
    assert await patron.page.evaluate("window.pwned === undefined")
    assert patron.errors == []
