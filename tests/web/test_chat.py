"""A patron chats from the demo library page with a librarian at a slixmpp desk, for real:
Chromium → bridge (WebSocket) → Prosody → desk, and back."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.widget_page import DESKTOP, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


async def test_open_send_and_receive_reply(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    await patron.open_chat()
    await expect(patron.input).to_be_focused()  # one tap opens it, ready to type
    await patron.wait_connected()

    line = await patron.send("Hei, miten uusin lainani?")
    await expect(line.locator(".delivery")).to_have_text("Perillä")  # acked by the bridge

    offer = await desk.next_message("offer")
    assert "miten uusin lainani" in offer.body
    assert offer.chat.get("page", "").endswith("/demo/")
    await expect(patron.panel.locator("#state")).to_have_text(
        "Odotetaan kirjastonhoitajaa. Olet jonossa sijalla 1."
    )

    desk.say(offer.frm, "Hei! Katson asiaa.")  # replying takes the chat
    await expect(patron.messages("librarian").last).to_contain_text("Katson asiaa")
    desk.typing(offer.frm, "composing")
    await expect(patron.panel.locator("#typing")).to_have_text("Tampere kirjoittaa…")
    desk.say(offer.frm, "Lainat uusitaan verkkokirjastossa: https://piki.example/lainat.")
    reply = patron.messages("librarian").last
    await expect(reply).to_contain_text("Lainat uusitaan verkkokirjastossa")
    await expect(reply.locator(".who")).to_have_text("Tampere")
    await expect(patron.panel.locator("#typing")).to_be_hidden()
    await expect(patron.panel.locator("#state")).to_contain_text("Tampere vastaa")
    # The new message is read out by the live region.
    await expect(patron.panel.locator("#announcer")).to_contain_text("Lainat uusitaan")

    link = reply.get_by_role("link", name="https://piki.example/lainat")
    await expect(link).to_have_attribute("href", "https://piki.example/lainat")
    await expect(link).to_have_attribute("rel", "noopener noreferrer")
    await expect(link).to_have_attribute("target", "_blank")
    assert patron.errors == []


async def test_chat_follows_navigation_and_reload(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    await patron.open_chat()
    await patron.send("Etsin kissakirjoja")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Kokeile hakua sanalla kissa.")
    await expect(patron.messages("librarian")).to_have_count(1)
    texts = patron.panel.locator("#log li .text")

    # Another page of the same site: the open panel comes back with the same conversation.
    await patron.page.goto(stack.web_url + "/demo/search.html?q=kissa")
    await expect(texts).to_have_text(["Etsin kissakirjoja", "Kokeile hakua sanalla kissa."])
    await patron.wait_connected()
    await patron.send("Löysin, kiitos! Entä varaaminen?")
    follow_up = await desk.next_message("line")
    assert follow_up.frm == offer.frm  # the same chat, the same patron JID
    assert "Entä varaaminen" in follow_up.body

    # A reply that arrives while the page reloads is in the history after it.
    await patron.page.reload()
    desk.say(offer.frm, "Varaa Varaa-painikkeella.")
    await expect(texts).to_have_text(
        [
            "Etsin kissakirjoja",
            "Kokeile hakua sanalla kissa.",
            "Löysin, kiitos! Entä varaaminen?",
            "Varaa Varaa-painikkeella.",
        ]
    )
    await expect(patron.messages("patron").locator(".delivery")).to_have_text(["Perillä"] * 2)

    # Minimised on one page, the chat stays minimised on the next, with its launcher; a
    # reply sent meanwhile (live or in the history of the next page) counts as unread.
    await patron.panel.locator("#close").click()
    await expect(patron.launcher).to_be_focused()
    desk.say(offer.frm, "Onko muuta kysyttävää?")
    await patron.page.goto(stack.web_url + "/demo/")
    await expect(patron.launcher).to_be_visible()
    await expect(patron.launcher).to_have_attribute("aria-expanded", "false")
    await expect(patron.page.locator("#tiski-chat .badge")).to_have_text("1")
    await patron.page.reload()  # still unread after a reload
    await expect(patron.page.locator("#tiski-chat .badge")).to_have_text("1")
    await expect(patron.launcher).to_have_accessible_name(
        re.compile(r"^Chattaa kirjastonhoitajan kanssa\s*\(1 uusi viesti chatissa\)$")
    )
    await patron.open_chat()
    await expect(texts.last).to_have_text("Onko muuta kysyttävää?")
    await expect(patron.page.locator("#tiski-chat .badge")).to_be_hidden()
    assert patron.errors == []


async def test_reconnects_by_itself_and_sends_what_waited(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    await patron.open_chat()
    await patron.send("Ensimmäinen viesti")
    offer = await desk.next_message("offer")

    await stack.stop_bridge()
    conn = patron.panel.locator("#conn")
    await expect(conn).to_have_attribute("data-state", "waiting")
    await expect(conn).to_contain_text("Yhteys katkesi")
    await expect(patron.panel.get_by_role("button", name="Yritä nyt")).to_be_visible()
    waiting = await patron.send("Kirjoitettu katkon aikana")
    await expect(waiting.locator(".delivery")).to_contain_text("Ei vielä lähetetty")

    await stack.start_bridge()
    await expect(conn).to_have_attribute("data-state", "open", timeout=20000)
    await expect(waiting.locator(".delivery")).to_have_text("Perillä")
    line = await desk.next_message("line", timeout=10)
    assert line.frm == offer.frm and "Kirjoitettu katkon aikana" in line.body
    # The history after the reconnect holds each line once.
    await expect(patron.panel.locator("#log li .text")).to_have_text(
        ["Ensimmäinen viesti", "Kirjoitettu katkon aikana"]
    )
    assert patron.errors == []


async def test_every_line_shows_the_services_clock_in_the_librarys_zone(
    stack: Stack, browser: Browser
) -> None:
    """The stack runs on a fixed demo clock (Monday 12.00 in Helsinki); the browser's clock and
    zone differ. The patron's own line, once stored, shows the same clock as the reply."""
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", DESKTOP, timezone_id="America/New_York")
    await patron.open_chat()
    await patron.wait_connected()
    line = await patron.send("Mihin aikaan olette auki?")
    await expect(line.locator(".delivery")).to_have_text("Perillä")
    await expect(line.locator("time.when")).to_have_text(re.compile(r"^12[.:]0\d$"))
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Kello kahdeksaan asti.")
    reply = patron.messages("librarian").last
    await expect(reply.locator("time.when")).to_have_text(re.compile(r"^12[.:]0\d$"))
