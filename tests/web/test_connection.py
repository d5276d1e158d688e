"""The connection state is honest: offline is shown as offline, a socket that went silent is
noticed by the widget's own heartbeat, and a line written meanwhile is kept, marked as not
sent yet, and delivered exactly once when the connection is back."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.proxy import SilentProxy
from tests.web.sites import allow_origin
from tests.web.widget_page import PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
KEPT = "Ei yhteyttä – viestisi on tallessa ja lähtee, kun yhteys palaa."


def stored(stack: Stack, text: str) -> int:
    """How many times the bridge's database holds a patron line with this text."""
    with sqlite3.connect(stack.directory / "tiski.sqlite3") as db:
        row = db.execute("SELECT count(*) FROM messages WHERE sender = 'patron' AND text = ?", (text,))
        return int(row.fetchone()[0])


@pytest.fixture
async def proxy(stack: Stack) -> AsyncIterator[SilentProxy]:
    p = SilentProxy(stack.web_port)
    await p.start()
    # The proxy stands in front of the bridge like a reverse proxy: the bridge allows only the
    # origin its own socket was reached on, so the public one is listed (README, `web.allowed_origins`).
    await allow_origin(stack, p.origin)
    try:
        yield p
    finally:
        await p.close()


async def test_offline_and_back_with_a_line_written_meanwhile(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    patron = await open_page(browser, stack.web_url + "/demo/", PHONE, bypass_csp=True)
    await patron.open_chat()
    await patron.send("Ensimmäinen")
    offer = await desk.next_message("offer")
    conn = patron.panel.locator("#conn")

    await patron.context.set_offline(True)  # the phone loses its network
    await expect(conn).to_have_attribute("data-state", "offline")
    await expect(conn).to_contain_text(KEPT)
    waiting = await patron.send("Kirjoitettu ilman verkkoa")
    await expect(waiting.locator(".delivery")).to_have_text(
        "Ei vielä lähetetty – tallessa, lähtee kun yhteys palaa"
    )
    assert await serious_violations(widget_frame(patron.page)) == []

    await patron.context.set_offline(False)
    await expect(conn).to_have_attribute("data-state", "open")
    await expect(waiting.locator(".delivery")).to_have_text("Perillä")
    line = await desk.next_message("line", timeout=10)
    assert line.frm == offer.frm and "Kirjoitettu ilman verkkoa" in line.body
    await expect(patron.panel.locator("#log li .text")).to_have_text(
        ["Ensimmäinen", "Kirjoitettu ilman verkkoa"]
    )
    desk.say(offer.frm, "Sain viestisi.")  # and the desk's line reaches the patron once
    await expect(patron.messages("librarian").locator(".text")).to_have_text(["Sain viestisi."])
    await desk.no_message(0.5, kind="line")  # the line was not sent twice
    assert stored(stack, "Kirjoitettu ilman verkkoa") == 1
    assert patron.errors == []


async def test_a_silent_connection_is_noticed_and_nothing_is_lost(
    stack: Stack, proxy: SilentProxy, browser: Browser
) -> None:
    """The network goes quiet without closing the socket: no close event ever comes."""
    desk = await stack.desk(DESK)
    patron = await open_page(browser, proxy.origin + "/demo/", PHONE)
    await patron.open_chat()
    await patron.send("Ennen katkoa")
    offer = await desk.next_message("offer")
    conn = patron.panel.locator("#conn")
    # Shorter than the defaults (25 s quiet → ping, 10 s without an answer → dead).
    await widget_frame(patron.page).evaluate(
        "window.tiskiWidget.conn.timing = {heartbeat: 1000, reply: 2000}"
    )

    proxy.silence()
    await expect(conn).not_to_have_attribute("data-state", "open", timeout=10000)
    await expect(conn).to_contain_text("Yhteys katkesi")
    waiting = await patron.send("Katkon aikana")
    await expect(waiting.locator(".delivery")).to_have_text(
        "Ei vielä lähetetty – tallessa, lähtee kun yhteys palaa"
    )
    await desk.no_message(0.5, kind="line")

    proxy.restore()
    await expect(conn).to_have_attribute("data-state", "open", timeout=20000)
    await expect(waiting.locator(".delivery")).to_have_text("Perillä")
    line = await desk.next_message("line", timeout=10)
    assert line.frm == offer.frm and "Katkon aikana" in line.body
    await expect(patron.panel.locator("#log li .text")).to_have_text(["Ennen katkoa", "Katkon aikana"])
    await desk.no_message(0.5, kind="line")  # once
    assert stored(stack, "Katkon aikana") == 1
    assert patron.errors == []
