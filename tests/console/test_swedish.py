"""The console in Swedish: every text in fi, sv and en, `lang: sv`, and the desk screen in Swedish."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter
from zoneinfo import ZoneInfo

import pytest
from textual.widgets._footer import FooterKey

from console.backend import Tag
from console.clock import Times
from console.config import parse_config
from console.i18n import SV, TEXTS, Texts
from console.screens.help import HelpScreen

from .helpers import list_text, static_text, transcript_text
from .test_config import BASE


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_key_has_swedish_and_no_stray_swedish_keys() -> None:
    assert sorted(SV) == sorted(TEXTS)


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_fi_sv_and_en_take_the_same_placeholders(key: str) -> None:
    fi, en = TEXTS[key]
    sv = SV[key]
    assert fi.strip() and sv.strip() and en.strip()
    assert fields(fi) == fields(en) == fields(sv), key


def test_swedish_differs_from_english_where_the_words_differ() -> None:
    # Only names, marks and pure placeholders may read the same in Swedish and English.
    words = {k: re.sub(r"{\w+}", "", SV[k]).lower() for k in TEXTS}
    same = {k for k in TEXTS if SV[k] == TEXTS[k][1] and re.search(r"[a-z]{3}", words[k])}
    assert same <= {"who.system"}, same


def test_texts_in_swedish_and_unknown_languages_fall_back_to_english() -> None:
    sv = Texts("sv")
    assert sv.lang == "sv"
    assert sv("sec.waiting") == "Väntar"
    assert sv("who.patron", id="ab12") == "Låntagare ab12"
    assert Texts("de").lang == "en" and Texts("de")("sec.waiting") == "Waiting"
    assert Texts("fi")("sec.waiting") == "Odottaa" and Texts("en")("sec.mine") == "Mine"


def test_lang_sv_in_the_config_and_from_the_locale() -> None:
    assert parse_config({**BASE, "lang": "sv"}, Path("."), "x", {}).lang == "sv"
    raw = dict(BASE)
    assert parse_config(raw, Path("."), "x", {"LANG": "sv_FI.UTF-8"}).lang == "sv"
    assert parse_config(raw, Path("."), "x", {"LC_ALL": "sv_SE.UTF-8", "LANG": "fi_FI.UTF-8"}).lang == "sv"
    assert parse_config(raw, Path("."), "x", {"LANG": "fi_FI.UTF-8"}).lang == "fi"
    assert parse_config(raw, Path("."), "x", {"LANG": "de_DE.UTF-8"}).lang == "en"


def test_swedish_times_and_tag_names() -> None:
    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    times = Times("sv", ZoneInfo("Europe/Helsinki"))
    assert times.clock(late) == "00.30"
    assert times.datetime(late) == "24.11.2026 kl. 00.30"
    tag = Tag(1, "loans", "Lainat", "Lainat", "Loans", "Lån")
    assert tag.label("sv") == "Lån" and tag.label("fi") == "Lainat" and tag.label("en") == "Loans"
    assert Tag(1, "loans", "Lainat", "Lainat", "Loans").label("sv") == "Lainat"


async def test_desk_screen_in_swedish(make_app, fake):
    app = make_app(lang="sv")
    async with app.run_test(size=(140, 40)) as pilot:
        fake.offer("p-aaaa", "Hej, jag har tappat mitt lånekort")
        fake.offer("p-bbbb", "Hej")
        await pilot.pause()
        assert "Väntar (2)" in list_text(app)
        assert "I tjänst nu" in static_text(app, "#side")
        footer = {str(key.description) for key in app.screen.query(FooterKey)}
        assert {"Hjälp", "Ta nästa", "Färdiga", "Sök", "Ämnen", "Flytta", "Avsluta"} <= footer
        await pilot.press("f2")
        await pilot.pause()
        text = list_text(app)
        assert "Mina (1)" in text and "Väntar (1)" in text
        fake.taken_elsewhere("p-bbbb", "nokia@chat.localhost/desk-1")
        await pilot.pause()
        assert "Tagna av andra (1)" in list_text(app)
        fake.end_elsewhere("p-aaaa", by="patron")
        await pilot.pause()
        assert "Avslutade i dag (1)" in list_text(app)
        assert "Chatten avslutades: låntagaren avslutade den." in transcript_text(app).replace("\n  ", " ")


async def test_help_screen_in_swedish(make_app):
    app = make_app(lang="sv")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app, "#help-text")
        assert "Tangenter" in text
        assert "F2 / Alt+A / Ctrl+N" in text and "Ta den öppna väntande chatten" in text
        assert "Accept" not in text
