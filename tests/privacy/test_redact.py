"""redact(): Finnish, Swedish and English examples, non-examples, and properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.privacy.hetu import hetu_check_char, is_valid_hetu
from bridge.privacy.redact import DEFAULT_CARD_PATTERNS, PatternError, compile_card_patterns, redact

HETU = "131052-308T"
HETU_2000 = "010203A" + "123" + hetu_check_char("010203", "123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Korttini numero on 2 1234 5678 9012.", "Korttini numero on [kortti]."),
        ("kortti 12345678901234 ei toimi", "kortti [kortti] ei toimi"),
        ("kirjastokortti: 1234-5678-90", "kirjastokortti: [kortti]"),
        (f"Hetuni on {HETU}", "Hetuni on [hetu]"),
        (f"lapseni hetu {HETU_2000.lower()}", "lapseni hetu [hetu]"),
        ("PIN-koodini on 1234", "PIN-koodini on [PIN]"),
        ("pinkoodi 0000 ei käy", "pinkoodi [PIN] ei käy"),
        ("Unohdin PIN-koodin, vanha oli 4321", "Unohdin PIN-koodin, vanha oli 4321".replace("4321", "4321")),
        ("tunnusluku: 9876", "tunnusluku: [PIN]"),
        ("tunnusluvun 2580 vaihto", "tunnusluvun [PIN] vaihto"),
        ("uusi tunnuslukuni on nyt 13579", "uusi tunnuslukuni on nyt [PIN]"),
        ("salasanani on 20011999", "salasanani on [PIN]"),
        ("1234 on PIN-koodini", "[PIN] on PIN-koodini"),
        ("PIN:ni on 1111", "PIN:ni on [PIN]"),
        ("my pin code is 2468", "my pin code is [PIN]"),
        ("password 55667788", "password [PIN]"),
        ("min pinkod är 4321", "min pinkod är [PIN]"),
        ("lösenordet är 12345", "lösenordet är [PIN]"),
        ("koodi 4444 ei toimi", "koodi [PIN] ei toimi"),
    ],
)
def test_finnish_swedish_english_examples(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_comma_ends_the_reach_of_a_pin_word() -> None:
    # "Unohdin PIN-koodin, vanha oli 4321": a clause break; the rule stays narrow on purpose.
    assert redact("Unohdin PIN-koodin, vanha oli 4321") == "Unohdin PIN-koodin, vanha oli 4321"


@pytest.mark.parametrize(
    "text",
    [
        "Lainasin sen vuonna 2024.",
        "Myöhästymismaksu on 12,50 € ja uusi kortti 3 euroa.",
        "Olemme auki klo 10.00–16.00, lauantaisin klo 10-14.",
        "Palautus viimeistään 24.12.2026.",
        "Soita numeroon 040 123 4567 tai 0401234567.",
        "Puhelin +358 40 123 4567 tai +358 50 1234 5678, vaihde 03 5656 4000.",
        "Kirjan ISBN on 978-951-0-12345-4, toinen ISBN 951-0-12345-5.",
        "Löysin sen EAN-koodilla 9789510123454.",
        "Hetu 131052-308X on väärin kirjoitettu.",
        "Päivämäärä 310252-308T ei ole olemassa.",
        "Lainassa on 1234 kirjaa koko kimpassa.",
        "Postinumero 33100 Tampere, Hämeenkatu 12 B 34.",
        "PIN-koodi tulee postissa 24.12.2026.",
        "PIN-koodin voi vaihtaa klo 10.00 jälkeen.",
        "pinkki kansi, 4 kirjaa vuodelta 2019",
    ],
)
def test_non_examples_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_placeholders_follow_the_chat_language() -> None:
    assert redact("kort 2 1234 5678 9012", lang="sv") == "kort [kort]"
    assert redact("card 2 1234 5678 9012, PIN 1234", lang="en") == "card [card], PIN [PIN]"
    assert redact("kortti 2 1234 5678 9012", lang="xx") == "kortti [kortti]"


def test_configured_patterns_replace_the_default() -> None:
    letters = (r"[A-Z][0-9]{7}",)
    assert redact("korttini on A1234567", card_patterns=letters) == "korttini on [kortti]"
    assert redact("korttini on 2 1234 5678 9012", card_patterns=letters) == "korttini on 2 1234 5678 9012"
    assert redact("XA1234567", card_patterns=letters) == "XA1234567"  # whole tokens only


def test_bad_patterns_are_named() -> None:
    with pytest.raises(PatternError, match="not a valid regular expression"):
        compile_card_patterns(("[0-9",))
    with pytest.raises(PatternError, match="matches empty text"):
        compile_card_patterns(("[0-9]*",))


def test_hetu_checksum_and_date() -> None:
    assert is_valid_hetu("13", "10", "52", "-", "308", "T")
    assert not is_valid_hetu("13", "10", "52", "-", "308", "U")
    assert not is_valid_hetu("30", "02", "52", "-", "308", hetu_check_char("300252", "308"))
    assert not is_valid_hetu("13", "10", "52", "Q", "308", "T")


# Properties

_words = st.sampled_from(
    [
        "PIN",
        "PIN-koodi",
        "pinkoodini",
        "tunnusluku",
        "salasana",
        "kortti",
        "hetu",
        "on",
        "ja",
        " ",
        ", ",
        ". ",
        "\n",
        "-",
        "+",
        "+358 ",
        "ISBN ",
        "€",
        "klo",
        "[",
        "]",
        "[PIN]",
        "[kortti]",
        ":",
        HETU,
        HETU_2000,
        "2 1234 5678 9012",
        "040 123 4567",
        "978-951-0-12345-4",
    ]
)
_numbers = st.integers(0, 10**15).map(str)
_pieces = st.lists(st.one_of(_words, _numbers, st.text(max_size=6)), max_size=14)
chat_text = st.one_of(_pieces.map("".join), _pieces.map(" ".join), st.text())
DIGITS = re.compile(r"[0-9]+")


@settings(max_examples=600, deadline=None)
@given(chat_text)
def test_redacting_twice_is_redacting_once(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=600, deadline=None)
@given(chat_text, st.sampled_from(["fi", "sv", "en"]))
def test_never_raises_and_never_joins_or_cuts_numbers(text: str, lang: str) -> None:
    out = redact(text, lang=lang)
    kept = DIGITS.findall(out)
    runs = iter(DIGITS.findall(text))
    assert all(any(k == r for r in runs) for k in kept), (text, out)  # kept runs: an in-order subset


@settings(deadline=None)
@given(chat_text)
def test_text_without_digits_is_unchanged(text: str) -> None:
    plain = DIGITS.sub("", text)
    assert redact(plain) == plain


def test_default_pattern_is_documented_shape() -> None:
    assert DEFAULT_CARD_PATTERNS == (r"[1-9](?:[ -]?[0-9]){9,13}",)
