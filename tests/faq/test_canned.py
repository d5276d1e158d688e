"""Canned answers: loading, lookup and placeholder rendering that never crashes."""

from __future__ import annotations

import pytest

from bridge.faq import CannedAnswer, FaqError, find_canned, load_canned, parse_canned
from bridge.faq.canned import PLACEHOLDERS
from bridge.faq.placeholders import names
from tests.faq.conftest import PIKI_CANNED


def test_piki_canned_answers_load() -> None:
    answers = load_canned(PIKI_CANNED)
    assert len(answers) >= 10
    new_pin = find_canned(answers, "new-pin")
    assert new_pin is not None
    assert new_pin.tags == ("login",)
    assert new_pin.title_for("en") == "New PIN"
    assert all(set(a.text) == {"fi", "sv", "en"} for a in answers)


def test_piki_canned_answers_use_only_the_documented_placeholders() -> None:
    for answer in load_canned(PIKI_CANNED):
        for text in answer.text.values():
            assert names(text) <= set(PLACEHOLDERS), answer.key


def test_render_fills_documented_placeholders() -> None:
    answer = CannedAnswer("x", {"fi": "X"}, {"fi": "{library}: {hours}, {phone} – {desk}", "en": "hi {desk}"})
    text = answer.render("fi", desk="Akaa", library="Akaan kirjasto", hours="10–16", phone="040")
    assert text == "Akaan kirjasto: 10–16, 040 – Akaa"
    assert answer.render("en", desk="Nokia") == "hi Nokia"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{unknown} and {desk}", "{unknown} and D"),
        ("{desk", "{desk"),
        ("{}", "{}"),
        ("{0} {desk!r} {desk:>9}", "{0} {desk!r} {desk:>9}"),
        ("}{desk}{", "}D{"),
    ],
)
def test_render_leaves_unknown_and_odd_braces(template: str, expected: str) -> None:
    assert CannedAnswer("k", {}, {"fi": template}).render("fi", desk="D") == expected


def test_language_falls_back_and_title_defaults_to_key() -> None:
    answer = CannedAnswer("only-fi", {}, {"fi": "Hei"})
    assert answer.render("sv") == "Hei"
    assert answer.title_for("en") == "only-fi"


def test_find_is_case_insensitive() -> None:
    answers = parse_canned("- {key: new-pin, text: {fi: x}}\n")
    assert find_canned(answers, "NEW-PIN") is answers[0]
    assert find_canned(answers, "nope") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{key: a}", "expected a list"),
        ("- {text: {fi: x}}\n", "canned.yaml:1: canned answer 1: needs a `key`"),
        ("- {key: a}\n", "canned 'a': needs a `text`"),
        (
            "- {key: a, text: {fi: x}}\n- {key: a, text: {fi: y}}\n",
            "canned.yaml:2: canned 'a': key already used",
        ),
        ("- {key: a, text: {xx: x}}\n", "unknown language 'xx'"),
        ("- {key: a, text: {fi: x}, tags: login}\n", "`tags` must be a list"),
        ("- {key: a, txt: {fi: x}}\n", "unknown field(s) ['txt']"),
    ],
)
def test_errors_name_file_line_and_key(text: str, expected: str) -> None:
    with pytest.raises(FaqError) as caught:
        parse_canned(text, "canned.yaml")
    assert expected in str(caught.value)
