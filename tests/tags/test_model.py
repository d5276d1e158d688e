"""The tag set: order, numbers, removed tags, names per language."""

from tags import Tag, TagSet, parse_tags

TEXT = """
- {id: a, name: {fi: Aa, en: A}}
- {id: b, name: {fi: Bee}, removed: true}
- {id: c, name: {sv: Cee}}
- {id: x, name: {fi: Keskeytynyt}, auto: interrupted}
"""


def test_piki_example_order_and_ids(piki: TagSet) -> None:
    expected = "login card materials loans fees reservations hours other interrupted"
    assert [tag.id for tag in piki.visible] == expected.split()
    assert piki.get("loans").name("fi") == "Lainaus – lainat"
    assert piki.number_of("loans") == 4
    assert piki.auto_tag("interrupted").id == "interrupted"


def test_removed_tags_leave_pickers_but_stay_known() -> None:
    tagset = parse_tags(TEXT)
    assert [tag.id for tag in tagset.visible] == ["a", "c", "x"]
    assert tagset.get("b") == Tag("b", {"fi": "Bee"}, None, True)
    assert tagset.number_of("b") is None
    assert tagset.number_of("c") == 2
    assert tagset.by_number(3).id == "x"
    assert tagset.by_number(4) is None
    assert tagset.ids == ("a", "b", "c", "x")
    assert len(tagset) == 3


def test_name_falls_back_fi_then_en_then_id() -> None:
    tag = Tag("t", {"fi": "Suomeksi", "en": "English"})
    assert tag.name("sv") == "Suomeksi"
    assert Tag("t", {"en": "English"}).name("sv") == "English"
    assert Tag("t", {"sv": "Svenska"}).name("fi") == "Svenska"
    assert Tag("t", {}).name("fi") == "t"


def test_auto_tag_ignores_removed() -> None:
    tagset = parse_tags("- {id: x, name: {fi: X}, auto: interrupted, removed: true}")
    assert tagset.auto_tag("interrupted") is None
    assert parse_tags(TEXT).auto_tag("unknown") is None


def test_tags_are_hashable_and_comparable() -> None:
    assert hash(Tag("a", {"fi": "A"})) == hash(Tag("a", {"fi": "A"}))
    assert Tag("a", {"fi": "A"}) != Tag("a", {"fi": "B"})
    assert TagSet() == parse_tags("")
