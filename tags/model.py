"""The ordered tag set: stable ids, display names per language, removed tags kept for history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

FALLBACK_LANGS = ("fi", "en")
AUTO_RULES = frozenset({"interrupted"})


@dataclass(frozen=True)
class Tag:
    """One topic tag; `id` never changes, names may; a removed tag stays for history."""

    id: str
    names: dict[str, str] = field(hash=False)
    auto: str | None = None
    removed: bool = False

    def name(self, lang: str) -> str:
        """The display name in `lang`, else Finnish, else English, else any, else the id."""
        for candidate in (lang, *FALLBACK_LANGS):
            if self.names.get(candidate):
                return self.names[candidate]
        return next(iter(self.names.values()), self.id)


@dataclass(frozen=True)
class TagSet:
    """All tags in file order; pickers show `visible`, whose 1-based positions are the numbers."""

    tags: tuple[Tag, ...] = ()
    source: str = "tags.yaml"

    @property
    def visible(self) -> tuple[Tag, ...]:
        """Tags not removed, in file order: what pickers show."""
        return tuple(tag for tag in self.tags if not tag.removed)

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of all tags, removed ones included, in file order."""
        return tuple(tag.id for tag in self.tags)

    def __iter__(self) -> Iterator[Tag]:
        return iter(self.visible)

    def __len__(self) -> int:
        return len(self.visible)

    def get(self, tag_id: str) -> Tag | None:
        """The tag with this id, removed or not."""
        return next((tag for tag in self.tags if tag.id == tag_id), None)

    def number_of(self, tag_id: str) -> int | None:
        """The tag's 1-based position among visible tags; None if unknown or removed."""
        for number, tag in enumerate(self.visible, start=1):
            if tag.id == tag_id:
                return number
        return None

    def by_number(self, number: int) -> Tag | None:
        """The visible tag at this 1-based position."""
        visible = self.visible
        return visible[number - 1] if 1 <= number <= len(visible) else None

    def auto_tag(self, rule: str) -> Tag | None:
        """The visible tag applied automatically by `rule` (e.g. "interrupted")."""
        return next((tag for tag in self.visible if tag.auto == rule), None)

    def label(self, tag: Tag, lang: str) -> str:
        """Name with its number, e.g. "Lainaus – lainat (4)"; removed tags say so."""
        number = self.number_of(tag.id)
        return f"{tag.name(lang)} ({number})" if number else f"{tag.name(lang)} (removed)"

    def resolve(self, text: str, lang: str = "fi", *, prefixes: bool = False) -> Tag:
        """The visible tag named by id, number or name in any language; TagError says what works.

        `prefixes`: a unique beginning of a name or word is enough (tagging from a desk).
        """
        from tags.matching import resolve

        return resolve(self, text, lang, prefixes=prefixes)
