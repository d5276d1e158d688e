"""Resolving what a librarian typed: id, number or name, case- and accent-insensitive."""

import pytest

from tags import TagError, TagSet, parse_tags
from tags.matching import fold


@pytest.mark.parametrize(
    ("typed", "tag_id"),
    [
        ("loans", "loans"),
        ("LOANS", "loans"),
        ("4", "loans"),
        (" 4 ", "loans"),
        ("Lainaus – lainat", "loans"),
        ("lainaus - lainat", "loans"),
        ("Lån", "loans"),
        ("lan", "loans"),
        ("kirjautumisasiat", "login"),
        ("Öppettider och kontaktuppgifter", "hours"),
        ("oppettider och kontaktuppgifter", "hours"),
        ("muu aihe / tiedustelu", "other"),
        ("Interrupted", "interrupted"),
    ],
)
def test_resolves_id_number_and_names(piki: TagSet, typed: str, tag_id: str) -> None:
    assert piki.resolve(typed, "fi").id == tag_id


def test_unknown_name_suggests_the_closest(piki: TagSet) -> None:
    with pytest.raises(TagError) as info:
        piki.resolve("lainat", "fi")
    assert str(info.value) == "no tag 'lainat'; did you mean 'Lainaus – lainat' (4)?"


@pytest.mark.parametrize(
    ("typed", "tag_id"),
    [("maksut", "fees"), ("varaa", "reservations"), ("lainat", "loans"), ("aukiolo", "hours")],
)
def test_a_unique_beginning_of_a_name_or_word_is_enough(piki: TagSet, typed: str, tag_id: str) -> None:
    assert piki.resolve(typed, "fi", prefixes=True).id == tag_id


def test_an_ambiguous_beginning_lists_the_candidates(piki: TagSet) -> None:
    with pytest.raises(TagError) as info:
        piki.resolve("kirjasto", "fi", prefixes=True)
    assert "'Kirjastokortti' (2)" in str(info.value) and "'Kirjastoaineisto' (3)" in str(info.value)


def test_suggestion_uses_the_librarians_language(piki: TagSet) -> None:
    with pytest.raises(TagError, match=r"did you mean 'Reservations' \(6\)"):
        piki.resolve("reservatons", "en")


def test_nothing_close_explains_what_works(piki: TagSet) -> None:
    with pytest.raises(TagError, match=r"no tag 'qqqq'; give a number 1–9, an id or a name"):
        piki.resolve("qqqq", "fi")


def test_number_out_of_range(piki: TagSet) -> None:
    with pytest.raises(TagError, match="no tag number 10; give a number 1–9"):
        piki.resolve("10", "fi")
    with pytest.raises(TagError, match="no tag number 0"):
        piki.resolve("0", "fi")


def test_empty_text(piki: TagSet) -> None:
    with pytest.raises(TagError, match="no tag given"):
        piki.resolve("  ", "fi")


def test_removed_tag_is_not_resolved_but_explained() -> None:
    tagset = parse_tags("- {id: a, name: {fi: Aa}}\n- {id: old, name: {fi: Vanha}, removed: true}")
    with pytest.raises(TagError, match=r"tag 'Vanha' \(old\) has been removed"):
        tagset.resolve("vanha", "fi")
    with pytest.raises(TagError, match="has been removed"):
        tagset.resolve("old", "fi")


def test_empty_set() -> None:
    with pytest.raises(TagError, match="the tag list is empty"):
        TagSet().resolve("x", "fi")


def test_fold() -> None:
    assert fold("  Lainaus – LAINAT ") == "lainaus lainat"
    assert fold("Öppettider") == "oppettider"
    assert fold("Muu aihe / tiedustelu") == "muu aihe tiedustelu"
