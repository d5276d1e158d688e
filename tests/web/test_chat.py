"""A patron chats from the demo library page with a librarian at a slixmpp desk, for real:
Chromium → bridge (WebSocket) → Prosody → desk, and back."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.widget_page import DESKTOP, PHONE, open_page

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
    await expect(patron.panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")

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
