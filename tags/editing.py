"""Edits to the tag file's text: add, rename, remove, restore, move; comments kept if possible."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace

import yaml

from tags.errors import TagError
from tags.layout import Layout, cut
from tags.loading import ID_PATTERN, parse_tags
from tags.model import Tag, TagSet

REWRITTEN_HEADER = "# Tag list, rewritten by `python -m tags` (ids are stable; keep them).\n"


def add_tag(text: str, tag: Tag, *, before: str | None = None, source: str = "tags.yaml") -> str:
    """The file with a new tag at the end of the list, or before the tag with id `before`."""
    tagset = parse_tags(text, source)
    old = tagset.get(tag.id)
    if old is not None:
        state = "a removed tag (restore it, or choose another id)" if old.removed else "a tag"
        raise TagError(f"{source}: id {tag.id!r} already belongs to {state}")
    tags = list(tagset.tags)
    index = len(tags) if before is None else tags.index(_existing(tagset, before))
    tags.insert(index, tag)
    return _rewrite(text, tagset, tuple(tags), lambda lay: lay.inserted(index, *_new(lay, tag)))


def rename_tag(text: str, tag_id: str, names: Mapping[str, str], *, source: str = "tags.yaml") -> str:
    """The file with the tag's names changed per language (an empty name drops a language)."""
    tagset = parse_tags(text, source)
    old = _existing(tagset, tag_id)
    merged = {**old.names, **{lang: name.strip() for lang, name in names.items()}}
    merged = {lang: name for lang, name in merged.items() if name}
    if not merged:
        raise TagError(f"{source}: tag {tag_id!r} must keep at least one name")
    return _replace(text, tagset, replace(old, names=merged))


def remove_tag(text: str, tag_id: str, *, source: str = "tags.yaml") -> str:
    """The file with the tag marked `removed: true`: gone from pickers, kept for history."""
    tagset = parse_tags(text, source)
    return _replace(text, tagset, replace(_existing(tagset, tag_id), removed=True))


def restore_tag(text: str, tag_id: str, *, source: str = "tags.yaml") -> str:
    """The file with a removed tag shown in pickers again, in its old place."""
    tagset = parse_tags(text, source)
    return _replace(text, tagset, replace(_existing(tagset, tag_id), removed=False))


def move_tag(text: str, tag_id: str, step: int, *, source: str = "tags.yaml") -> str:
    """The file with a visible tag swapped with its visible neighbour (step -1 up, +1 down)."""
    tagset = parse_tags(text, source)
    tag = _existing(tagset, tag_id)
    visible = tagset.visible
    if tag.removed:
        raise TagError(f"{source}: tag {tag_id!r} is removed; restore it before moving it")
    position = visible.index(tag) + step
    if not 0 <= position < len(visible):
        where = "first" if step < 0 else "last"
        raise TagError(f"{source}: tag {tag_id!r} is already {where}")
    i, j = tagset.tags.index(tag), tagset.tags.index(visible[position])
    tags = list(tagset.tags)
    tags[i], tags[j] = tags[j], tags[i]
    return _rewrite(text, tagset, tuple(tags), lambda lay: lay.swapped(i, j))


def make_id(names: Mapping[str, str], taken: set[str]) -> str:
    """A new ascii id from the English (else first) name, unique among `taken`."""
    name = names.get("en") or next(iter(names.values()), "tag")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:32] or "tag"
    candidate, n = base, 2
    while candidate in taken or not ID_PATTERN.match(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def render_entry(tag: Tag, *, flow: bool = True, indent: str = "") -> str:
    """One list entry in YAML, flow style on one line or block style."""
    data: dict[str, object] = {"id": tag.id, "name": dict(tag.names)}
    if tag.auto:
        data["auto"] = tag.auto
    if tag.removed:
        data["removed"] = True
    if flow:
        body = yaml.safe_dump(
            data, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1 << 30
        ).strip()
        return f"{indent}- {body}"
    body = yaml.safe_dump([data], default_flow_style=False, allow_unicode=True, sort_keys=False)
    return "\n".join(indent + line for line in body.rstrip("\n").split("\n"))


def _existing(tagset: TagSet, tag_id: str) -> Tag:
    tag = tagset.get(tag_id)
    if tag is None:
        known = ", ".join(tagset.ids) or "none"
        raise TagError(f"{tagset.source}: no tag with id {tag_id!r} (ids: {known})")
    return tag


def _new(layout: Layout, tag: Tag) -> tuple[str, bool]:
    flow = layout.blocks[-1].flow if layout.blocks else True
    return render_entry(tag, flow=flow, indent=layout.indent), flow


def _replace(text: str, tagset: TagSet, new: Tag) -> str:
    index = tagset.ids.index(new.id)
    tags = (*tagset.tags[:index], new, *tagset.tags[index + 1 :])

    def edit(layout: Layout) -> Layout:
        flow = layout.blocks[index].flow
        return layout.with_entry(index, render_entry(new, flow=flow, indent=layout.indent))

    return _rewrite(text, tagset, tags, edit)


def _rewrite(text: str, old: TagSet, tags: tuple[Tag, ...], edit: Callable[[Layout], Layout]) -> str:
    """Apply `edit` to the file's layout; check the result parses to exactly `tags`."""
    layout = cut(text)
    new_text = edit(layout).render() if layout is not None else None
    if new_text is None or _parsed(new_text, old.source) != tags:
        new_text = REWRITTEN_HEADER + "".join(render_entry(tag) + "\n" for tag in tags)
    if parse_tags(new_text, old.source).tags != tags:
        raise TagError(f"{old.source}: internal error: the rewritten file does not read back")
    return new_text


def _parsed(text: str, source: str) -> tuple[Tag, ...] | None:
    try:
        return parse_tags(text, source).tags
    except TagError:
        return None
