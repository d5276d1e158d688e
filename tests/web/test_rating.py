"""After the chat has ended the panel asks for a rating once: the patron rates with the keyboard
only, the bridge stores it (its `ratings` table), and the question is not asked again —
neither after a reload nor when the patron declines. Real Chromium, bridge, Prosody and a
slixmpp desk that ends the chat with `/end`."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.test_keyboard import focused, widget_frame
from tests.web.widget_page import DESKTOP, PHONE, PatronPage, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


def stored_ratings(stack: Stack) -> list[tuple[str, int, str | None]]:
    """The bridge's `ratings` rows: (session id, score, comment)."""
    db = sqlite3.connect(stack.directory / "tiski.sqlite3")
    try:
        return db.execute("SELECT session_id, score, comment FROM ratings ORDER BY ts").fetchall()
    finally:
        db.close()


async def chat_ended_by_librarian(stack: Stack, patron: PatronPage) -> str:
    """A short chat that the desk ends with `/end`; returns the session id."""
    desk = await stack.desk(DESK)
    await patron.open_chat()
    await patron.send("Hei, missä on lähin kirjasto?")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hervannan kirjasto on lähin.")
    await expect(patron.messages("librarian")).to_have_count(1)
    desk.say(offer.frm, "/end")
    await expect(patron.panel.locator("#state")).to_have_text("Chat on päättynyt.")
    return offer.frm.split("@", 1)[0]


async def test_keyboard_rating_is_stored_and_not_asked_again(stack: Stack, browser: Browser) -> None:
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    session = await chat_ended_by_librarian(stack, patron)
    page, panel = patron.page, patron.panel
    frame = widget_frame(page)

    # The question appears and takes the focus from the message box that went away.
    form = panel.locator("#rating")
    await expect(form).to_be_visible()
    await expect(panel.get_by_role("heading", name="Millainen chat oli?")).to_be_focused()
    group = panel.get_by_role("radiogroup", name="Arviosi: 1 = huono, 5 = erinomainen")
    await expect(group.get_by_role("radio")).to_have_count(5)
    await expect(group.get_by_role("radio", name="5 erinomainen")).to_be_visible()
    await expect(panel.get_by_role("button", name="Ei kiitos")).to_be_visible()
    await expect(panel.locator("#ended-download")).to_be_visible()  # the transcript is still offered

    # Keyboard only: Tab into the group, arrows choose, Tab to the comment, Tab to Send.
    await page.keyboard.press("Tab")
    info = await focused(frame)
    assert info["tag"] == "INPUT" and info["ring"], info
    for _ in range(3):
        await page.keyboard.press("ArrowRight")  # 1 → 2 → 3 → 4
    await expect(group.get_by_role("radio", name="4 hyvä")).to_be_checked()
    assert (await focused(frame))["ring"]
    await page.keyboard.press("Tab")
    assert (await focused(frame))["id"] == "rating-comment"
    await page.keyboard.type("Nopea ja ystävällinen vastaus.")
    await page.keyboard.press("Tab")
    info = await focused(frame)
    assert info["id"] == "rating-send" and info["ring"], info
    await page.keyboard.press("Enter")

    thanks = panel.locator("#rating-thanks")
    await expect(thanks).to_have_text("Kiitos arviostasi!")
    await expect(thanks).to_be_focused()
    await expect(form).to_be_hidden()
    assert stored_ratings(stack) == [(session, 4, "Nopea ja ystävällinen vastaus.")]
    assert await frame.evaluate("sessionStorage.getItem('tiski.tampere.rating')") == "rated"

    # Minimise and reopen: thanks, not the question.
    await page.keyboard.press("Escape")
    await expect(page.locator("#tiski-chat iframe")).to_be_hidden()
    await page.keyboard.press("Enter")
    await expect(thanks).to_be_focused()
    await expect(form).to_be_hidden()

    # Reload: the ended chat comes back read-only (the bridge resumes it until its token
    # expires), and the question does not come back.
    await page.reload()
    await expect(patron.launcher).to_be_visible()
    if not await page.locator("#tiski-chat iframe").is_visible():
        await patron.launcher.click()
    await patron.wait_connected()
    await expect(panel.locator("#composer")).to_be_hidden()
    await expect(form).to_be_hidden()
    await page.wait_for_timeout(300)
    await expect(form).to_be_hidden()
    assert len(stored_ratings(stack)) == 1
    assert patron.errors == []


async def test_patron_ends_declines_and_is_not_asked_again(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", PHONE)
    page, panel = patron.page, patron.panel
    await patron.open_chat()
    await patron.send("Hei!")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei, miten voin auttaa?")
    await expect(patron.messages("librarian")).to_have_count(1)

    # The patron ends the chat from the menu: asked at once.
    await panel.locator("#options-toggle").click()
    await panel.locator("#end").click()
    await panel.locator("#end-yes").click()
    form = panel.locator("#rating")
    await expect(form).to_be_visible()
    await expect(panel.locator("#rating-title")).to_be_focused()
    await panel.get_by_role("radio", name="4 hyvä").check()
    await panel.locator("#rating-title").scroll_into_view_if_needed()
    await patron.screenshot("phone-rating")
    await panel.get_by_role("radio", name="4 hyvä").evaluate("(el) => { el.checked = false; }")

    # Send without a score: told what to do, focus on the first score.
    await panel.locator("#rating-send").click()
    await expect(panel.locator("#rating-error")).to_have_text("Valitse arvio 1–5.")
    await expect(panel.locator("#rating-scores")).to_have_attribute("aria-invalid", "true")
    await expect(panel.locator("#rating-scores input").first).to_be_focused()

    await panel.locator("#rating-skip").click()
    await expect(form).to_be_hidden()
    await expect(panel.locator("#ended-download")).to_be_focused()
    assert await widget_frame(page).evaluate("sessionStorage.getItem('tiski.tampere.rating')") == "declined"
    await page.keyboard.press("Escape")
    await patron.launcher.click()
    await expect(form).to_be_hidden()
    assert stored_ratings(stack) == []
    assert patron.errors == []


async def test_already_rated_is_shown(stack: Stack, browser: Browser) -> None:
    """The bridge refuses a second rating of the chat; the panel shows why and stops asking."""
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    session = await chat_ended_by_librarian(stack, patron)
    panel = patron.panel
    await panel.get_by_role("radio", name="5 erinomainen").check()
    await panel.locator("#rating-send").click()
    await expect(panel.locator("#rating-thanks")).to_have_text("Kiitos arviostasi!")
    # As if this tab had forgotten the answer (e.g. the panel lost its storage): ask again.
    frame = widget_frame(patron.page)
    await frame.evaluate("""() => {
      sessionStorage.removeItem('tiski.tampere.rating');
      window.tiskiWidget.rating.result = null;
      window.tiskiWidget.rating.show();
    }""")
    await expect(panel.locator("#rating")).to_be_visible()
    await panel.get_by_role("radio", name="2 välttävä").check()
    await panel.locator("#rating-send").click()
    await expect(panel.locator("#rating-thanks")).to_have_text("Tämä chat on jo arvioitu. Kiitos!")
    await expect(panel.locator("#rating")).to_be_hidden()
    assert stored_ratings(stack) == [(session, 5, None)]
    assert patron.errors == []
