"""Edits to the tag file: ids stable across renames, order kept, comments kept, safe writes."""

import os
import threading
from pathlib import Path

import pytest

from tags import Tag, TagError, load_tags, parse_tags
from tags.editing import (
    add_tag,
    make_id,
    move_tag,
    remove_tag,
    rename_tag,
    render_entry,
    restore_tag,
)
from tags.files import atomic_write, edit_tags_file

from .conftest import EXAMPLE

PIKI = EXAMPLE.read_text(encoding="utf-8")


def ids(text: str) -> list[str]:
    return [tag.id for tag in parse_tags(text).visible]


def test_rename_keeps_id_order_and_other_names() -> None:
    text = rename_tag(PIKI, "loans", {"fi": "Lainat ja uusinnat"})
    tagset = parse_tags(text)
    assert tagset.get("loans").names == {"fi": "Lainat ja uusinnat", "sv": "Lån", "en": "Loans"}
    assert ids(text) == ids(PIKI)
    assert tagset.number_of("loans") == 4
    assert tagset.resolve("lainat ja uusinnat").id == "loans"


def test_rename_keeps_every_other_line_and_comment() -> None:
    text = rename_tag(PIKI, "loans", {"en": "Borrowing"})
    before, after = PIKI.splitlines(), text.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    assert changed[0][1] == ("- {id: loans, name: {fi: Lainaus – lainat, sv: Lån, en: Borrowing}}")


def test_rename_can_drop_a_language_but_not_every_name() -> None:
    text = rename_tag(PIKI, "card", {"sv": ""})
    assert parse_tags(text).get("card").names == {"fi": "Kirjastokortti", "en": "Library card"}
    with pytest.raises(TagError, match="at least one name"):
        rename_tag("- {id: a, name: {fi: A}}", "a", {"fi": ""})


def test_rename_to_a_name_taken_by_another_tag_fails() -> None:
    with pytest.raises(TagError, match="names must tell tags apart"):
        rename_tag(PIKI, "loans", {"fi": "Varaaminen"})


def test_remove_hides_but_keeps_history() -> None:
    text = remove_tag(PIKI, "fees")
    tagset = parse_tags(text)
    assert "fees" not in ids(text)
    assert tagset.get("fees").removed
    assert tagset.ids == parse_tags(PIKI).ids
    assert tagset.number_of("reservations") == 5
    line = next(line for line in text.splitlines() if line.startswith("- {id: fees"))
    assert line.endswith(", removed: true}")
    assert parse_tags(restore_tag(text, "fees")) == parse_tags(PIKI)


def test_add_appends_or_inserts_before() -> None:
    new = Tag("e-materials", {"fi": "E-aineistot", "en": "E-materials"})
    assert ids(add_tag(PIKI, new))[-1] == "e-materials"
    text = add_tag(PIKI, new, before="other")
    assert ids(text)[7:] == ["e-materials", "other", "interrupted"]
    assert text.startswith(PIKI.split("- {id: login")[0])


def test_add_refuses_an_id_in_use_even_by_a_removed_tag() -> None:
    with pytest.raises(TagError, match="already belongs to a tag"):
        add_tag(PIKI, Tag("loans", {"fi": "X"}))
    removed = remove_tag(PIKI, "loans")
    with pytest.raises(TagError, match="a removed tag"):
        add_tag(removed, Tag("loans", {"fi": "X"}))


def test_add_to_an_empty_file() -> None:
    text = add_tag("", Tag("a", {"fi": "A"}))
    assert parse_tags(text).ids == ("a",)
    assert ids(add_tag(text, Tag("b", {"fi": "B"}))) == ["a", "b"]


def test_move_swaps_visible_neighbours_with_their_comments() -> None:
    down = move_tag(PIKI, "other", +1)
    assert ids(down)[-2:] == ["interrupted", "other"]
    lines = down.splitlines()
    comment = lines.index(
        "# Set automatically when the patron leaves or disconnects for good before the chat ends."
    )
    assert lines[comment + 1].startswith("- {id: interrupted")
    assert parse_tags(move_tag(down, "other", -1)) == parse_tags(PIKI)
    assert move_tag(move_tag(PIKI, "card", -1), "card", +1) == PIKI


def test_move_skips_removed_tags() -> None:
    text = remove_tag(PIKI, "materials")
    moved = move_tag(text, "loans", -1)
    assert ids(moved)[:3] == ["login", "loans", "card"]
    assert parse_tags(moved).get("materials").removed


def test_move_past_the_ends_fails() -> None:
    with pytest.raises(TagError, match="already first"):
        move_tag(PIKI, "login", -1)
    with pytest.raises(TagError, match="already last"):
        move_tag(PIKI, "interrupted", +1)
    with pytest.raises(TagError, match="restore it before moving"):
        move_tag(remove_tag(PIKI, "fees"), "fees", -1)


def test_unknown_id() -> None:
    with pytest.raises(TagError, match="no tag with id 'nope'"):
        remove_tag(PIKI, "nope")


BLOCK = """\
# Our tags

- id: a      # first
  name:
    fi: Aa

# b is about books
- id: b
  name:
    fi: Bee
    en: B
# the end
"""


def test_block_style_file_keeps_its_style_and_comments() -> None:
    text = move_tag(BLOCK, "b", -1)
    assert text.startswith("# Our tags\n\n# b is about books\n- id: b\n")
    assert "- id: a      # first\n" in text
    assert text.endswith("# the end\n")
    renamed = rename_tag(BLOCK, "b", {"fi": "Kirjat"})
    assert "# b is about books\n- id: b\n  name:\n    fi: Kirjat\n    en: B\n" in renamed
    added = add_tag(BLOCK, Tag("c", {"fi": "Cee"}))
    assert parse_tags(added).ids == ("a", "b", "c")
    assert "- id: c\n  name:\n    fi: Cee\n" in added


def test_indented_list_and_trailing_comment() -> None:
    text = "  - {id: a, name: {fi: A}}  # keep me\n  - {id: b, name: {fi: B}}\n"
    renamed = rename_tag(text, "a", {"fi": "Aa"})
    assert renamed == "  - {id: a, name: {fi: Aa}}  # keep me\n  - {id: b, name: {fi: B}}\n"


def test_unusual_layout_is_rewritten_whole() -> None:
    text = "[{id: a, name: {fi: A}}, {id: b, name: {fi: B}}]\n"
    moved = move_tag(text, "b", -1)
    assert ids(moved) == ["b", "a"]
    assert moved.startswith("# Tag list, rewritten")


def test_names_needing_quotes_round_trip() -> None:
    tag = Tag("odd", {"fi": "Kysymys: mitä, miksi? #1", "en": "'quoted' & {braces}"})
    assert parse_tags(render_entry(tag)).get("odd") == tag
    assert parse_tags(render_entry(tag, flow=False, indent="  ")).get("odd") == tag


def test_make_id() -> None:
    assert make_id({"fi": "E-aineistot", "en": "E-materials"}, set()) == "e-materials"
    assert make_id({"fi": "Äänikirjat"}, set()) == "aanikirjat"
    assert make_id({"fi": "Äänikirjat"}, {"aanikirjat"}) == "aanikirjat-2"
    assert make_id({"fi": "???"}, set()) == "tag"


def test_edit_file_writes_atomically_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(PIKI, encoding="utf-8")
    path.chmod(0o640)
    tagset = edit_tags_file(path, lambda text, src: remove_tag(text, "fees", source=src))
    assert tagset.get("fees").removed
    assert load_tags(path) == tagset
    assert (path.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tags.yaml"]


def test_failed_edit_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(PIKI, encoding="utf-8")
    with pytest.raises(TagError, match=r"tags\.yaml: no tag with id"):
        edit_tags_file(path, lambda text, src: remove_tag(text, "nope", source=src))
    assert path.read_text(encoding="utf-8") == PIKI
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tags.yaml"]


def test_crash_while_writing_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text(PIKI, encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, "garbage")
    assert path.read_text(encoding="utf-8") == PIKI
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tags.yaml"]


def test_edit_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(PIKI, encoding="utf-8")
    link = tmp_path / "tags.yaml"
    link.symlink_to(real)
    edit_tags_file(link, lambda text, src: remove_tag(text, "fees", source=src))
    assert link.is_symlink()
    assert load_tags(real).get("fees").removed


def test_concurrent_editors_do_not_lose_edits(tmp_path: Path) -> None:
    path = tmp_path / "tags.yaml"
    path.write_text("", encoding="utf-8")
    names = [f"t{i}" for i in range(20)]

    def add(tag_id: str) -> None:
        edit_tags_file(path, lambda text, src: add_tag(text, Tag(tag_id, {"fi": tag_id}), source=src))

    threads = [threading.Thread(target=add, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(load_tags(path).ids) == sorted(names)
