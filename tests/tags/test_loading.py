"""Loading tags.yaml: validation errors name the file, the line and the entry."""

from pathlib import Path

import pytest

from tags import TagError, load_tags, parse_tags


def error_of(text: str) -> str:
    with pytest.raises(TagError) as info:
        parse_tags(text, source="t.yaml")
    return str(info.value)


def test_empty_file_is_an_empty_set() -> None:
    assert parse_tags("").tags == ()
    assert parse_tags("# only a comment\n").tags == ()
    assert parse_tags("[]").tags == ()


def test_block_style_is_accepted() -> None:
    tagset = parse_tags("- id: a\n  name:\n    fi: Aa\n    en: A\n  removed: false\n")
    assert tagset.get("a").names == {"fi": "Aa", "en": "A"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{a: 1}", "t.yaml: the file must be a list"),
        ("- just text", "t.yaml:1: entry 1: a tag must be a mapping"),
        ("- {name: {fi: A}}", "t.yaml:1: entry 1: 'id' must be"),
        ("- {id: Ää, name: {fi: A}}", "'id' must be lower-case ascii"),
        ("- {id: a, name: {fi: A}}\n- {id: b}", "t.yaml:2: entry 2 (b): 'name' must map"),
        ("- {id: a, name: A}", "'name' must map languages"),
        ("- {id: a, name: {fi: ''}}", "the fi name must be non-empty"),
        ("- {id: a, name: {finnish: A}}", "'finnish' is not a language code"),
        ("- {id: a, name: {fi: '12'}}", "would be taken for a tag number"),
        ("- {id: a, name: {fi: A}, auto: sometimes}", "'auto' must be one of interrupted"),
        ("- {id: a, name: {fi: A}, removed: maybe}", "'removed' must be true or false"),
        ("- {id: a, name: {fi: A}, remove: true}", "unknown key(s) remove"),
        ("- {id: a, name: {fi: A}}\n- {id: a, name: {fi: B}}", "id 'a' is used twice"),
        ("- {id: a, name: {fi: Sama}}\n- {id: b, name: {en: sama}}", "names must tell tags apart"),
        ("- {id: a, name: {fi: b}}\n- {id: b, name: {en: B}}", "is also the name or id of"),
        (
            "- {id: a, name: {fi: A}, auto: interrupted}\n- {id: b, name: {fi: B}, auto: interrupted}",
            "more than one tag has auto: interrupted",
        ),
        ("- {id: a, name: {fi: A}\n", "t.yaml:2:1: not valid YAML"),
    ],
)
def test_errors_name_file_line_and_entry(text: str, expected: str) -> None:
    assert expected in error_of(text)


def test_every_problem_is_listed() -> None:
    with pytest.raises(TagError) as info:
        parse_tags("- {id: a}\n- {id: B, name: {fi: X}}\n", source="t.yaml")
    assert len(info.value.problems) == 2
    assert info.value.problems[0].startswith("t.yaml:1: entry 1 (a)")
    assert info.value.problems[1].startswith("t.yaml:2: entry 2")


def test_removed_tag_may_share_a_name_with_its_successor() -> None:
    tagset = parse_tags("- {id: old, name: {fi: Sama}, removed: true}\n- {id: new, name: {fi: Sama}}")
    assert [tag.id for tag in tagset.visible] == ["new"]


def test_load_tags_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TagError, match=r"missing\.yaml: cannot read"):
        load_tags(tmp_path / "missing.yaml")


def test_load_tags_reports_path_as_source(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text("- {id: a}\n", encoding="utf-8")
    with pytest.raises(TagError, match=r"tags.yaml:1: entry 1 \(a\)"):
        load_tags(path)
