"""What screen readers hear: a new place in the queue is announced politely, every
announcement is cleared again (browse mode meets each message once), the end confirmation
starts on the safe choice, and the conversation says who ended the chat."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from tests.support.stack import Stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"


async def test_queue_changes_are_announced_and_announcements_cleared(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    first = await open_page(browser, stack.web_url + "/demo/", DESKTOP)
    await first.open_chat()
    await first.send("Olen ensimmäinen")
    offer_first = await desk.next_message("offer")
    second = await open_page(browser, stack.web_url + "/demo/", DESKTOP, bypass_csp=True)
    await second.open_chat()
    await second.send("Olen toinen")
    await desk.next_message("offer")
    announcer = second.panel.locator("#announcer")
    state = second.panel.locator("#state")
    await expect(state).to_have_text("Odotetaan kirjastonhoitajaa. Olet jonossa sijalla 2.")
    await expect(announcer).to_have_attribute("aria-live", "polite")
    await expect(announcer).to_contain_text("sijalla 2")

    desk.say(offer_first.frm, "Hei ensimmäinen!")  # the desk takes the first chat: 2 → 1
    await expect(state).to_have_text("Odotetaan kirjastonhoitajaa. Olet jonossa sijalla 1.")
    await expect(announcer).to_contain_text("Olet jonossa sijalla 1.", timeout=15000)
    await expect(announcer).to_be_empty(timeout=15000)  # announced, then cleared
    assert await serious_violations(widget_frame(second.page)) == []

    # The accessibility tree holds the librarian's line once: in the conversation only.
    desk.say(offer_first.frm, "Katson asiaa.")
    await expect(first.messages("librarian")).to_have_count(2)
    await expect(first.panel.locator("#announcer")).to_contain_text("Katson asiaa.", timeout=15000)
    await expect(first.panel.locator("#announcer")).to_be_empty(timeout=15000)
    tree = await first.panel.locator("body").aria_snapshot()
    assert tree.count("Katson asiaa.") == 1, tree

    # Minimised: the launcher's own live region says "1 new message", then clears too.
    await first.panel.locator("#close").click()
    await expect(first.launcher).to_have_attribute("aria-expanded", "false")  # closed for the page
    await expect(first.launcher).to_be_focused()  # … and the panel has been told so
    desk.say(offer_first.frm, "Vieläkö olet siellä?")
    live = first.page.locator("#tiski-chat [aria-live=polite]")
    await expect(live).to_have_text("1 uusi viesti chatissa", timeout=15000)  # the line's trip first
    await expect(live).to_be_empty(timeout=15000)
    await expect(first.launcher).to_have_accessible_name(
        "Chattaa kirjastonhoitajan kanssa (1 uusi viesti chatissa)"
    )
    assert first.errors == [] and second.errors == []


async def test_end_confirmation_is_safe_and_the_chat_says_who_ended(stack: Stack, browser: Browser) -> None:
    desk = await stack.desk(DESK)
    mine = await open_page(browser, stack.web_url + "/demo/", PHONE, bypass_csp=True)
    await mine.open_chat()
    await mine.send("Hei")
    await desk.next_message("offer")
    panel = mine.panel
    await panel.get_by_role("button", name="Chatin toiminnot").click()
    await panel.get_by_role("button", name="Lopeta chat").click()
    confirm = panel.get_by_role("group", name="Lopetetaanko chat?")
    await expect(confirm).to_be_visible()
    await expect(confirm.get_by_role("button", name="Ei, jatka")).to_be_focused()
    assert await serious_violations(widget_frame(mine.page)) == []
    await confirm.get_by_role("button", name="Kyllä, lopeta").click()
    await expect(panel.locator("#log .notice")).to_have_text(["Lopetit chatin."])

    theirs = await open_page(browser, stack.web_url + "/demo/", PHONE)
    await theirs.open_chat()
    await theirs.send("Hei taas")
    offer = await desk.next_message("offer")
    desk.say(offer.frm, "Hei! Tässä vastaus.")
    await expect(theirs.messages("librarian")).to_have_count(1)
    desk.say(offer.frm, "/end")
    await expect(theirs.panel.locator("#log .notice")).to_have_text(["Tampere lopetti chatin."])
    await expect(theirs.panel.locator("#announcer")).to_contain_text("Tampere lopetti chatin.")
    assert mine.errors == [] and theirs.errors == []
