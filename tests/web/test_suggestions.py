""" "Did you mean": when the FAQ is unsure, the chat waits for a librarian and the widget offers
the likely answers as buttons. Chromium → the real bridge with the PIKI FAQ → Prosody → desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from playwright.async_api import Browser, expect

from bridge.faq.loader import load_faq
from tests.support.stack import PIKI, Stack, start_stack
from tests.web.axe import serious_violations, widget_frame
from tests.web.widget_page import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

DESK = "tampere@chat.localhost"
UNSURE = "saako laina-aikaa jatkettua"  # PIKI: likely `renew`, not certain enough to answer


def renew_label() -> str:
    return load_faq(PIKI / "faq.yaml", matcher="lexical").get("renew").label("fi")  # type: ignore[union-attr]


@pytest.fixture
async def piki_faq(tmp_path: Path) -> AsyncIterator[Stack]:
    s = await start_stack(tmp_path, faq=PIKI / "faq.yaml")
    try:
        yield s
    finally:
        await s.close()


async def test_pick_a_suggestion_then_end_as_helped(piki_faq: Stack, browser: Browser) -> None:
    desk = await piki_faq.desk(DESK)
    patron = await open_page(browser, piki_faq.web_url + "/demo/", PHONE, bypass_csp=True)
    panel = patron.panel
    await patron.open_chat()
    await patron.send(UNSURE)
    offer = await desk.next_message("offer")  # a librarian is asked at once

    group = panel.get_by_role("group", name="Tarkoititko:")
    await expect(group).to_be_visible()
    # The patron is told the librarian is on the way, and may also pick an answer.
    await expect(panel.locator("#suggest-note")).to_have_text(
        "Kirjastonhoitaja on tulossa – voit myös valita valmiin vastauksen:"
    )
    await expect(panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    renew = group.get_by_role("button", name=renew_label(), exact=True)
    await expect(renew).to_be_visible()
    buttons = await group.get_by_role("button").all_inner_texts()
    assert 2 <= len(buttons) <= 4  # at most three answers and "keep waiting"
    # Read out politely once, with the choices.
    await expect(panel.locator("#announcer")).to_contain_text("Tarkoititko:")
    await expect(panel.locator("#announcer")).to_contain_text(renew_label())
    assert await panel.locator("#announcer").get_attribute("aria-live") == "polite"
    # The focus stays where the patron is (the message box), nothing is stolen.
    await expect(patron.input).to_be_focused()
    await panel.locator("#log-wrap").evaluate("el => el.scrollTop = el.scrollHeight")
    await patron.screenshot("phone-did-you-mean")
    assert await serious_violations(widget_frame(patron.page)) == []

    # Keyboard: Shift+Tab from the message box reaches the choices; Enter picks.
    await patron.input.press("Shift+Tab")
    await expect(group.get_by_role("button", name="Jään odottamaan kirjastonhoitajaa")).to_be_focused()
    await patron.page.keyboard.press("Shift+Tab")
    await expect(group.get_by_role("button").nth(len(buttons) - 2)).to_be_focused()
    await renew.focus()
    await renew.press("Enter")
    await expect(group).to_have_count(0)  # gone after a pick
    answer = patron.messages("bot").last
    await expect(answer).to_be_visible()
    await expect(answer.locator(".who")).to_have_text("Automaattinen vastaus")
    relayed = await desk.next_message("line")
    assert relayed.chat["sender"] == "bot"  # the desk sees what the patron was told
    # Still waiting for the librarian; the answer offers to end the chat as helped.
    await expect(panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    done = answer.get_by_role("button", name="Tämä auttoi – lopeta chat")
    await expect(done).to_be_visible()
    await expect(answer.get_by_role("button", name="Jään odottamaan kirjastonhoitajaa")).to_be_visible()
    assert await serious_violations(widget_frame(patron.page)) == []
    await patron.screenshot("phone-did-you-mean-answer")

    await done.click()
    await expect(panel.locator("#state")).to_have_text("Chat on päättynyt.")
    await expect(panel.locator("#rating")).to_be_visible()
    ended = await desk.next_message("ended")
    assert ended.frm == offer.frm
    events = [e[1] for e in await piki_faq.bridge.store.events(offer.session)]
    assert "bot_suggest" in events and "bot_pick" in events
    assert patron.errors == []


async def test_suggestions_outlive_a_reload_and_go_when_the_librarian_answers(
    piki_faq: Stack, browser: Browser
) -> None:
    desk = await piki_faq.desk(DESK)
    patron = await open_page(browser, piki_faq.web_url + "/demo/", DESKTOP)
    panel = patron.panel
    await patron.open_chat()
    await patron.send(UNSURE)
    offer = await desk.next_message("offer")
    group = panel.get_by_role("group", name="Tarkoititko:")
    await expect(group.get_by_role("button", name=renew_label(), exact=True)).to_be_visible()

    # Another page of the site: the same chat, the same choices (and they still work).
    await patron.page.goto(piki_faq.web_url + "/demo/search.html?q=laina")
    await patron.wait_connected()
    await expect(group.get_by_role("button", name=renew_label(), exact=True)).to_be_visible()
    # Read out once: restored with the welcome, before the buttons show, and not again.
    assert "Tarkoititko" not in await panel.locator("#announcer").inner_text()

    desk.say(offer.frm, "Hei! Katsotaan lainojasi.")  # the librarian answers
    await expect(patron.messages("librarian")).to_contain_text("Katsotaan lainojasi")
    await expect(group).to_have_count(0)
    await patron.page.reload()  # and they do not come back
    await expect(patron.messages("librarian")).to_have_count(1)
    await expect(panel.locator("#suggest")).to_be_hidden()
    assert patron.errors == []


async def test_keep_waiting_dismisses_the_suggestions(piki_faq: Stack, browser: Browser) -> None:
    desk = await piki_faq.desk(DESK)
    patron = await open_page(browser, piki_faq.web_url + "/demo/", DESKTOP)
    panel = patron.panel
    await patron.open_chat()
    await patron.send(UNSURE)
    offer = await desk.next_message("offer")
    group = panel.get_by_role("group", name="Tarkoititko:")
    await group.get_by_role("button", name="Jään odottamaan kirjastonhoitajaa").click()
    await expect(group).to_have_count(0)
    await expect(patron.input).to_be_focused()
    await expect(panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    await desk.no_message(0.3, kind="line")  # nothing was sent to the desk
    await patron.page.reload()  # a dismissal holds on the next page too
    await patron.wait_connected()
    await expect(panel.locator("#suggest")).to_be_hidden()
    desk.say(offer.frm, "Hei!")
    await expect(patron.messages("librarian")).to_have_count(1)
    assert patron.errors == []


async def test_a_pick_without_connection_stays_and_works_after_a_restart(
    piki_faq: Stack, browser: Browser
) -> None:
    desk = await piki_faq.desk(DESK)
    patron = await open_page(browser, piki_faq.web_url + "/demo/", DESKTOP)
    panel = patron.panel
    await patron.open_chat()
    await patron.send(UNSURE)
    await desk.next_message("offer")
    renew = panel.get_by_role("group", name="Tarkoititko:").get_by_role(
        "button", name=renew_label(), exact=True
    )
    await expect(renew).to_be_visible()

    await piki_faq.stop_bridge()
    await expect(panel.locator("#conn")).to_have_attribute("data-state", "waiting")
    await renew.click()  # no socket: said so, and the choice stays for another try
    await expect(panel.locator("#log .notice")).to_contain_text("Ei lähetetty: ei yhteyttä")
    await expect(renew).to_be_visible()

    # The offered choices are stored with the chat: after a restart of the bridge the chat is
    # still queued and the pick is answered.
    await piki_faq.start_bridge()
    await expect(panel.locator("#conn")).to_have_attribute("data-state", "open", timeout=20000)
    await expect(panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    await renew.click()
    await expect(patron.messages("bot")).to_have_count(1)
    await expect(panel.locator("#suggest")).to_be_hidden()
    await expect(panel.locator("#state")).to_contain_text("Odotetaan kirjastonhoitajaa")
    assert patron.errors == []


async def test_a_pick_no_longer_on_offer_is_explained(piki_faq: Stack, browser: Browser) -> None:
    desk = await piki_faq.desk(DESK)
    patron = await open_page(browser, piki_faq.web_url + "/demo/", DESKTOP)
    panel = patron.panel
    await patron.open_chat()
    await patron.send(UNSURE)
    await desk.next_message("offer")
    renew = panel.get_by_role("group", name="Tarkoititko:").get_by_role(
        "button", name=renew_label(), exact=True
    )
    await expect(renew).to_be_visible()

    # The bridge restarts with a FAQ that no longer has the entry: the pick is refused with
    # `bad_request`, and the patron is told why.
    await piki_faq.stop_bridge()
    data = yaml.safe_load((PIKI / "faq.yaml").read_text())
    entries = data["entries"] if isinstance(data, dict) else data
    trimmed = piki_faq.directory / "faq.yaml"
    trimmed.write_text(yaml.safe_dump([e for e in entries if e["id"] != "renew"], allow_unicode=True))
    config = yaml.safe_load(piki_faq.config_path.read_text())
    config["faq"] = str(trimmed)
    piki_faq.config_path.write_text(yaml.safe_dump(config))
    await piki_faq.start_bridge()
    await expect(panel.locator("#conn")).to_have_attribute("data-state", "open", timeout=20000)
    await renew.click()
    await expect(panel.locator("#log .notice").last).to_have_text(
        "Valmis vastaus ei ole enää valittavissa. Kirjastonhoitaja vastaa pian."
    )
    await expect(panel.locator("#suggest")).to_be_hidden()
    await expect(patron.messages("bot")).to_have_count(0)
    assert patron.errors == []


async def test_swedish_choices_and_answer(piki_faq: Stack, browser: Browser) -> None:
    """The panel on its own (as a library may link to it), in Swedish."""
    desk = await piki_faq.desk(DESK)
    context = await browser.new_context(viewport=PHONE, locale="sv-FI")
    try:
        page = await context.new_page()
        await page.goto(piki_faq.web_url + "/widget/?library=tampere&lang=sv")
        await expect(page.locator("#conn")).to_have_attribute("data-state", "open")
        await page.locator("#text").fill("går det att förlänga boken")
        await page.locator("#text").press("Enter")
        await desk.next_message("offer")
        group = page.get_by_role("group", name="Menade du:")
        await expect(page.locator("#suggest-note")).to_have_text(
            "En bibliotekarie är på väg – du kan också välja ett färdigt svar:"
        )
        label = load_faq(PIKI / "faq.yaml", matcher="lexical").get("renew").label("sv")  # type: ignore[union-attr]
        await group.get_by_role("button", name=label, exact=True).click()
        answer = page.locator("#log li.from-bot").last
        await expect(answer.locator(".who")).to_have_text("Automatiskt svar")
        await expect(answer.get_by_role("button", name="Det hjälpte – avsluta chatten")).to_be_visible()
        await expect(answer.get_by_role("button", name="Jag väntar på en bibliotekarie")).to_be_visible()
        await expect(page.locator("#state")).to_contain_text("Väntar på en bibliotekarie")
    finally:
        await context.close()
