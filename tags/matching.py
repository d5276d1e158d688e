"""Finding a tag from what a librarian typed: id, number or name, forgiving case and accents."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from tags.errors import TagError
from tags.model import Tag, TagSet

_NON_WORD = re.compile(r"[\W_]+")
_SUGGEST_CUTOFF = 60


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form: "Lainaus – lainat" → "lainaus lainat"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


def _keys(tag: Tag) -> list[str]:
    return [fold(tag.id), *(fold(name) for name in tag.names.values())]


def resolve(tagset: TagSet, text: str, lang: str = "fi", *, prefixes: bool = False) -> Tag:
    """The visible tag for `text`; raises TagError naming the closest tag or what to type.

    With `prefixes` (tagging from a desk), a unique beginning of a name or of one of its words
    is enough; an ambiguous one lists the candidates. Edits of the tag file need the whole name.
    """
    wanted = text.strip()
    if not wanted:
        raise TagError(f"no tag given; {_hint(tagset)}")
    if wanted.isdigit():
        tag = tagset.by_number(int(wanted))
        if tag is None:
            raise TagError(f"no tag number {wanted}; {_hint(tagset)}")
        return tag
    key = fold(wanted)
    for tag in tagset.visible:
        if key in _keys(tag):
            return tag
    starts = [tag for tag in tagset.visible if prefixes and any(_starts(k, key) for k in _keys(tag))]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        options = ", ".join(f"'{t.name(lang)}' ({tagset.number_of(t.id)})" for t in starts)
        raise TagError(f"{wanted!r} could be {options}; type more of the name or the number")
    for tag in tagset.tags:
        if tag.removed and key in _keys(tag):
            raise TagError(f"tag {tag.name(lang)!r} ({tag.id}) has been removed; {_hint(tagset)}")
    suggestion = _closest(tagset, key)
    if suggestion is not None:
        number = tagset.number_of(suggestion.id)
        raise TagError(f"no tag {wanted!r}; did you mean '{suggestion.name(lang)}' ({number})?")
    raise TagError(f"no tag {wanted!r}; {_hint(tagset)}")


def _starts(name: str, key: str) -> bool:
    """`key` begins the name or one of its words ("maksut" → "maksut ja maksaminen")."""
    return len(key) >= 3 and (name.startswith(key) or any(w.startswith(key) for w in name.split()))


def _closest(tagset: TagSet, key: str) -> Tag | None:
    choices = {(i, k): k for i, tag in enumerate(tagset.visible) for k in _keys(tag)}
    if not key or not choices:
        return None
    best = process.extractOne(key, choices, scorer=fuzz.WRatio, score_cutoff=_SUGGEST_CUTOFF)
    if best is None:
        return None
    index, _ = best[2]
    return tagset.visible[index]


def _hint(tagset: TagSet) -> str:
    visible = tagset.visible
    if not visible:
        return "the tag list is empty"
    examples = ", ".join(f"{n} {tag.id}" for n, tag in enumerate(visible[:3], start=1))
    return f"give a number 1–{len(visible)}, an id or a name (e.g. {examples}, …)"
