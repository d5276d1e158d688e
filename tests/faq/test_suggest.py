"""Did you mean: likely entries offered when no answer is certain."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.faq import FaqBase, load_faq

FIRST_DAY = Path(__file__).parent / "data" / "firstday.yaml"


@pytest.fixture(scope="module")
def first_day() -> FaqBase:
    return load_faq(FIRST_DAY, cache_dir=None)


@pytest.mark.parametrize(
    ("lang", "question", "entry_id"),
    [
        # the paraphrases: no word in common with the examples that decides
        ("fi", "onko kirjasto avoinna sunnuntaina", "hours"),
        ("fi", "tunnuslukuni unohtui", "pin-forgotten"),
    ],
)
def test_a_likely_entry_is_suggested(first_day: FaqBase, lang: str, question: str, entry_id: str) -> None:
    match = first_day.match(question, lang)
    assert not match.confident
    ids = [entry.id for entry in first_day.suggest(question, lang)]
    assert entry_id in ids and len(ids) <= 3


def test_a_clear_lead_by_meaning_is_answered(first_day: FaqBase) -> None:
    # no word in common with "When is the library open?", but far nearer to it than to any
    # other entry: answered, not only suggested
    match = first_day.match("what time do you open tomorrow", "en")
    assert match.confident and match.entry is not None and match.entry.id == "hours"
    assert match.by == "meaning"


@pytest.mark.parametrize(
    ("lang", "question", "entry_id"),
    [
        ("fi", "lainojen uusiminen ei onnistu", "renew"),  # near by meaning
        ("fi", "pin-koodi ei toimi", "pin-forgotten"),  # near by words
        ("sv", "jag kan inte reservera, det blir fel", "reserve"),
    ],
)
def test_a_problem_next_to_a_topic_is_suggested_not_answered(
    first_day: FaqBase, lang: str, question: str, entry_id: str
) -> None:
    # the entry tells how to renew, not why renewing fails: a librarian, or the patron's pick
    match = first_day.match(question, lang)
    assert not match.confident
    assert entry_id in [e.id for e in match.suggestions]


def test_an_entry_about_a_problem_answers_it() -> None:
    from bridge.faq import parse_faq

    faq = parse_faq(
        "- id: renew-failed\n  questions: {fi: [Miksi lainan uusiminen ei onnistu]}\n"
        "  answer: {fi: Varattua lainaa ei voi uusia.}\n"
        "- id: renew\n  questions: {fi: [Miten uusin lainani]}\n  answer: {fi: Omilla sivuilla.}\n"
    )
    match = faq.match("lainan uusiminen ei onnistu", "fi")
    assert match.confident and match.entry is not None and match.entry.id == "renew-failed"


def test_nothing_is_suggested_when_an_answer_is_certain(first_day: FaqBase) -> None:
    assert first_day.match("I forgot my PIN", "en").confident
    assert first_day.suggest("I forgot my PIN", "en") == []


@pytest.mark.parametrize("question", ["", "???", "haluan puhua ihmisen kanssa", "missä on lähin pysäkki"])
def test_nothing_to_suggest_for_the_rest(first_day: FaqBase, question: str) -> None:
    assert first_day.suggest(question, "fi") == []


async def test_async_entry_points_run_off_the_loop(first_day: FaqBase) -> None:
    import threading

    seen: list[str] = []
    original = first_day.semantic.embed  # type: ignore[union-attr]

    def spy(text: str):  # records which thread embeds
        seen.append(threading.current_thread().name)
        return original(text)

    object.__setattr__(first_day.semantic, "embed", spy)
    try:
        match = await first_day.match_async("I forgot my PIN", "en")
        assert match.confident and match.entry is not None and match.entry.id == "pin-forgotten"
        assert "hours" in [
            e.id for e in await first_day.suggest_async("onko kirjasto avoinna sunnuntaina", "fi")
        ]
    finally:
        object.__setattr__(first_day.semantic, "embed", original)
    assert seen and all(name.startswith("faq-embed") for name in seen)


def test_a_long_message_goes_by_words_only(first_day: FaqBase) -> None:
    called: list[str] = []
    original = first_day.semantic.embed  # type: ignore[union-attr]
    object.__setattr__(first_day.semantic, "embed", lambda text: called.append(text) or original(text))
    try:
        story = "Hei! " + "Kerron ensin taustaa tilanteestani ja lainoistani. " * 5 + "Miten uusin lainani?"
        match = first_day.match(story, "fi")
        short = first_day.match("saako lainoja jatkettua", "fi")
    finally:
        object.__setattr__(first_day.semantic, "embed", original)
    assert called == ["saako lainoja jatkettua"]  # the long one never reached the model
    assert match.similarity == 0.0 and short.similarity > 0.0


def test_a_question_the_words_are_sure_of_never_reaches_the_model(first_day: FaqBase) -> None:
    called: list[str] = []
    original = first_day.semantic.embed  # type: ignore[union-attr]
    object.__setattr__(first_day.semantic, "embed", lambda text: called.append(text) or original(text))
    try:
        sure = first_day.match("miten uusin lainani", "fi")
        unsure = first_day.match("saako laina-aikaa pidennettyä", "fi")
    finally:
        object.__setattr__(first_day.semantic, "embed", original)
    assert sure.confident and sure.entry is not None and sure.entry.id == "renew" and sure.by == "words"
    assert called == ["saako laina-aikaa pidennettyä"]
    assert unsure.similarity > 0.0


def test_a_repeated_question_is_embedded_once(first_day: FaqBase) -> None:
    assert first_day.semantic is not None
    calls: list[int] = []
    embedder = first_day.semantic.embedder
    original = embedder.embed
    object.__setattr__(
        embedder, "embed", lambda texts, kind="query": calls.append(len(texts)) or original(texts, kind)
    )
    try:
        question = "voiko kirjastossa käydä sunnuntaina"
        first = first_day.match(question, "fi")
        again = first_day.match(question, "fi")
        suggested = first_day.suggest(question, "fi")
    finally:
        object.__setattr__(embedder, "embed", original)
    assert calls == [1]
    assert first == again and [e.id for e in suggested] == [e.id for e in first.suggestions]


def test_a_button_label_is_the_title_else_the_first_example(first_day: FaqBase) -> None:
    from bridge.faq import parse_faq

    hours = first_day.get("hours")
    assert hours is not None
    assert hours.label("fi") == "Milloin kirjasto on auki?"
    assert hours.label("en") == "When is the library open?"
    titled = parse_faq(
        "- id: pin\n  title: {fi: Unohtunut tunnusluku, en: Forgotten PIN}\n"
        "  questions: {fi: [Unohdin PIN-koodin]}\n  answer: {fi: Kirjastosta.}\n",
        matcher="lexical",
    ).get("pin")
    assert titled is not None
    assert titled.label("en") == "Forgotten PIN" and titled.label("sv") == "Forgotten PIN"
