"""Matching patrons' questions: right entry when sure, nothing when not, and fast."""

from __future__ import annotations

import pytest

from bridge.faq import FaqBase, FaqMatch, MatchSettings
from bridge.faq.base import from_entries


@pytest.mark.parametrize(
    ("lang", "question", "entry_id"),
    [
        ("fi", "Milloin kirjasto on auki?", "hours"),
        ("fi", "milloin kirjasto on auki", "hours"),
        ("fi", "voiko lainoja uusia", "renew"),
        ("en", "how can i renew my loans", "renew"),
        ("sv", "när är biblioteket öppet", "hours"),
        ("fi", "mika on kirjaston puhelin numero", "phone"),
    ],
)
def test_small_faq_matches(small: FaqBase, lang: str, question: str, entry_id: str) -> None:
    match = small.match(question, lang)
    assert match.confident, match
    assert match.entry is not None and match.entry.id == entry_id


@pytest.mark.parametrize("question", ["hei", "", "???", "onko teillä harry potteria"])
def test_no_answer_without_a_match(small: FaqBase, question: str) -> None:
    match = small.match(question, "fi")
    assert not match.confident
    assert isinstance(match, FaqMatch)


@pytest.mark.parametrize(
    ("lang", "question", "entry_id"),
    [
        # inflected and compound Finnish, no diacritics, typos, Swedish, English, mixed
        ("fi", "hukkasin kirjastokorttini", "card-lost"),
        ("fi", "myohastymismaksut paljonko", "late-fees"),
        ("fi", "unohdin tunnusluvun", "pin-forgotten"),
        ("fi", "mitenkä uusin lainoja", "renew"),
        ("fi", "miten varaan kirjan", "reserve"),
        ("fi", "kaukolainan tilaaminen", "interlibrary-loan"),
        ("sv", "jag har glömt min pinkod", "pin-forgotten"),
        ("sv", "hur förnyar jag mina lån", "renew"),
        ("en", "how do i renew my loans", "renew"),
        ("en", "i lost my library card", "card-lost"),
        ("sv", "miten uusin lainat", "renew"),
        ("fi", "how do i reserve a book", "reserve"),
    ],
)
def test_piki_faq_answers_patrons(piki: FaqBase, lang: str, question: str, entry_id: str) -> None:
    match = piki.match(question, lang)
    assert match.entry is not None and match.entry.id == entry_id
    assert match.confident, match


@pytest.mark.parametrize(
    "question",
    [
        "hei",
        "haluan puhua ihmisen kanssa",
        "onko tuntematon sotilas vapaana hervannassa",
        "palautin kirjan mutta se näkyy vielä lainassa",
        "unohdin sateenvarjon kirjastoon",
        "miksi mulla on 12 euroa maksuja",
    ],
)
def test_piki_faq_leaves_the_rest_to_librarians(piki: FaqBase, question: str) -> None:
    assert not piki.match(question, "fi").confident


def test_margin_over_the_runner_up_is_required(small: FaqBase) -> None:
    strict = from_entries(small.entries, MatchSettings(threshold=0.0, margin=1.0), matcher="lexical")
    match = strict.match("Milloin kirjasto on auki?", "fi")
    assert match.entry is not None and match.entry.id == "hours"
    assert not match.confident


def test_runner_up_is_reported(piki: FaqBase) -> None:
    match = piki.match("miten uusin lainat", "fi")
    assert match.entry is not None and match.runner_up is not None
    assert match.runner_up.id != match.entry.id
    assert 0.0 <= match.runner_up_score <= match.score <= 1.0


def test_lexical_matcher_needs_no_model(small: FaqBase) -> None:
    # faq.matcher: lexical, for tiny machines: no sentence model is built (bench/faq_eval.py
    # measures the time per question of both).
    words_only = from_entries(small.entries, matcher="lexical")
    assert words_only.kind == "lexical" and words_only.semantic is None
    match = words_only.match("milloin kirjasto on auki", "fi")
    assert match.confident and match.entry is not None and match.entry.id == "hours"
    assert match.by == "words" and match.similarity == 0.0
