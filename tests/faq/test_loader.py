"""Loading faq.yaml: the values it gives and errors that name the file, line and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.faq import Fact, FaqBase, FaqError, Kind, Link, load_faq, parse_faq
from tests.faq.conftest import PIKI_FAQ

TAGS = {"login", "card", "materials", "loans", "fees", "reservations", "hours", "other"}


def test_small_file_loads_into_values(small: FaqBase) -> None:
    hours = small.get("hours")
    assert hours is not None
    assert hours.tag == "hours"
    assert hours.questions["sv"] == ("När är biblioteket öppet?",)
    assert hours.answer("en") == "Opening hours are on your library's page."
    assert hours.links == (
        Link({"fi": "Aukioloajat", "en": "Opening hours"}, "https://library.example/hours"),
    )
    assert hours.link_title(hours.links[0], "fi") == "Aukioloajat"
    phone = small.get("phone")
    assert phone is not None and phone.kind is Kind.ROSTER and phone.fact is Fact.PHONE
    assert [e.id for e in small] == ["hours", "renew", "phone", "chat"]
    assert len(small) == 4


def test_answer_and_link_title_fall_back_to_another_language(small: FaqBase) -> None:
    renew = small.get("renew")
    hours = small.get("hours")
    assert renew is not None and hours is not None
    assert renew.answer("sv") == "Renew on My pages."
    assert hours.link_title(hours.links[0], "sv") == "Opening hours"


def test_entries_are_hashable_values(small: FaqBase) -> None:
    assert len({entry for entry in small}) == len(small)


def test_piki_example_covers_the_seed_topics() -> None:
    faq = load_faq(PIKI_FAQ)
    assert len(faq) >= 25
    assert {entry.tag for entry in faq} == TAGS
    for entry in faq:
        assert set(entry.answers) == {"fi", "sv", "en"}, entry.id
        assert all(entry.questions.get(lang) for lang in ("fi", "sv", "en")), entry.id
        for link in entry.links:
            assert link.url.startswith("https://piki.verkkokirjasto.fi/"), entry.id
    assert {e.fact for e in faq if e.kind is Kind.ROSTER} == {Fact.OPEN_NOW, Fact.PHONE, Fact.URL}


def test_settings_block_overrides_the_thresholds() -> None:
    faq = parse_faq(
        "settings: {threshold: 0.7, margin: 0.2}\nentries:\n"
        "  - {id: a, questions: {en: [hello there]}, answer: {en: hi}}\n"
    )
    assert (faq.settings.threshold, faq.settings.margin) == (0.7, 0.2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "expected a list of entries"),
        ("- id: a\n  answer: {fi: x}\n", "small.yaml:1: entry 'a': needs `questions`"),
        ("- id: a\n  questions: {fi: [x]}\n", "entry 'a': needs an `answer`"),
        (
            "- id: A b\n  questions: {fi: [x]}\n  answer: {fi: y}\n",
            "small.yaml:1: entry 'A b': needs an `id`",
        ),
        (
            "- {id: a, questions: {fi: [x]}, answer: {fi: y}}\n"
            "- {id: a, questions: {fi: [x]}, answer: {fi: y}}\n",
            "small.yaml:2: entry 'a': id already used by entry 1",
        ),
        ("- {id: a, questions: {de: [x]}, answer: {fi: y}}\n", "unknown language 'de'"),
        ("- {id: a, questions: {fi: [x]}, answers: {fi: y}}\n", "unknown field(s) ['answers']"),
        ("- {id: a, questions: {fi: x}, answer: {fi: [y]}}\n", "answer.fi: expected a non-empty text"),
        ("- {id: a, questions: {fi: [x]}, answer: {fi: y}, kind: roster}\n", "needs a `fact`"),
        ("- {id: a, questions: {fi: [x]}, answer: {fi: y}, fact: phone}\n", "only for `kind: roster`"),
        (
            "- {id: a, questions: {fi: [x]}, answer: {fi: 'p {phone}'}}\n",
            "needs a `fallback`",
        ),
        (
            "- {id: a, questions: {fi: [x]}, answer: {fi: 'p {fone}'}, fallback: {fi: z}}\n",
            "unknown placeholder(s) ['fone']",
        ),
        ("- {id: a, questions: {fi: [x]}, answer: {fi: y}, links: [{url: ftp://x}]}\n", "https://"),
        ("- {id: a, questions: {fi: [x]}, answer: {fi: y}, tag: 3}\n", "`tag` must be a tag id"),
        ("- id: a\n  id: b\n", "small.yaml:2: not valid YAML: key 'id' is given twice"),
        ("- id: a\n questions: [\n", "small.yaml:2: not valid YAML"),
        ("settings: {treshold: 1}\nentries: []\n", "settings: unknown ['treshold']"),
    ],
)
def test_errors_name_file_line_entry_and_field(text: str, expected: str) -> None:
    with pytest.raises(FaqError) as caught:
        parse_faq(text, "small.yaml")
    assert expected in str(caught.value)
    assert str(caught.value).startswith("small.yaml")


def test_missing_file_is_a_faq_error(tmp_path: Path) -> None:
    with pytest.raises(FaqError, match="cannot read"):
        load_faq(tmp_path / "nope.yaml")
