"""Rendering answers: links as lines, roster facts from the roster, never a bare {placeholder}."""

from __future__ import annotations

from bridge.faq import FaqBase


def entry(faq: FaqBase, entry_id: str):
    found = faq.get(entry_id)
    assert found is not None
    return found


def test_answer_then_links_as_title_colon_url(small: FaqBase) -> None:
    text = small.render(entry(small, "hours"), "fi")
    assert text == ("Aukioloajat löydät kirjastosi sivulta.\nAukioloajat: https://library.example/hours")


def test_roster_fact_comes_from_facts(small: FaqBase) -> None:
    facts = {"library_name": "Akaa", "phone": "040 335 3600", "url": "https://akaa.example"}
    text = small.render(entry(small, "phone"), "fi", facts)
    assert text.splitlines() == ["Akaa: puhelin 040 335 3600.", "Kirjaston sivu: https://akaa.example"]


def test_missing_fact_gives_the_fallback_and_drops_unfilled_links(small: FaqBase) -> None:
    assert small.render(entry(small, "phone"), "en") == "Contacts are on the library's page."
    assert small.render(entry(small, "phone"), "en", {"phone": ""}) == ("Contacts are on the library's page.")


def test_open_now_chooses_open_or_closed_text(small: FaqBase) -> None:
    chat = entry(small, "chat")
    facts = {"hours": "ma–pe 10–16", "next_opening": "ma 10:00"}
    assert small.render(chat, "fi", {**facts, "open": "true"}) == (
        "Chat palvelee ma–pe 10–16. Nyt olemme paikalla."
    )
    assert small.render(chat, "fi", {**facts, "open": "false"}) == (
        "Chat palvelee ma–pe 10–16. Seuraavaksi ma 10:00."
    )
    assert small.render(chat, "fi") == "Chat palvelee arkisin 10–16."


def test_closed_text_without_next_opening_falls_back(small: FaqBase) -> None:
    chat = entry(small, "chat")
    assert small.render(chat, "en", {"open": "no", "hours": "10–16"}) == (
        "The chat is open on weekdays 10–16."
    )


def test_piki_roster_entries_never_show_placeholders(piki: FaqBase) -> None:
    for item in piki:
        for lang in ("fi", "sv", "en"):
            for facts in (None, {"open": "true"}, {"open": "false", "hours": "10–16"}):
                assert "{" not in piki.render(item, lang, facts), (item.id, lang, facts)


def test_none_or_empty_fact_counts_as_missing(small: FaqBase) -> None:
    chat = entry(small, "chat")
    facts = {"open": "False", "hours": "10–16", "next_opening": "None"}
    assert small.render(chat, "fi", facts) == "Chat palvelee arkisin 10–16."
