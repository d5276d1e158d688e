"""A loaded FAQ: its entries, the matcher built from them, and rendering of answers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from bridge.faq.matcher import Matcher, MatchSettings
from bridge.faq.model import Fact, FaqEntry, FaqMatch, Kind
from bridge.faq.placeholders import fill, names, pick

_TRUE = {"1", "true", "yes", "on", "open"}


@dataclass(frozen=True)
class FaqBase:
    """The entries of one faq.yaml; `match` finds an answer, `render` writes it out."""

    entries: tuple[FaqEntry, ...]
    settings: MatchSettings = field(default_factory=MatchSettings)
    source: str = "<faq>"
    matcher: Matcher = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matcher", Matcher(self.entries, self.settings))

    def __iter__(self) -> Iterator[FaqEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> FaqEntry | None:
        """The entry with this id, or None."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def match(self, text: str, lang: str) -> FaqMatch:
        """The best entry for a patron's message; `confident` says whether to answer with it."""
        ranked = self.matcher.rank(text, lang)
        if not ranked:
            return FaqMatch(None, 0.0, False)
        score, entry = ranked[0]
        second, runner_up = ranked[1] if len(ranked) > 1 else (0.0, None)
        confident = score >= self.settings.threshold and score - second >= self.settings.margin
        return FaqMatch(entry, round(score, 4), confident, runner_up, round(second, 4))

    def render(self, entry: FaqEntry, lang: str, facts: Mapping[str, str] | None = None) -> str:
        """The answer in `lang` with {placeholders} filled from `facts`, then `Title: URL` lines."""
        # str(None) from a caller is as good as missing: never show "None" to a patron
        values = {
            key: str(value).strip()
            for key, value in (facts or {}).items()
            if value is not None and str(value).strip() not in ("", "None")
        }
        text = _choose(entry, lang, values)
        lines = [fill(text, values).strip()]
        for link in entry.links:
            url = fill(link.url, values)
            if names(url):
                continue  # a roster URL this library does not have
            lines.append(f"{fill(entry.link_title(link, lang), values)}: {url}")
        return "\n".join(lines)


def _choose(entry: FaqEntry, lang: str, values: Mapping[str, str]) -> str:
    """The template to send: the answer, the closed variant, or the fallback."""
    fallback = pick(entry.fallback, lang)
    text = entry.answer(lang)
    if entry.kind is Kind.ROSTER and entry.fact is not None:
        value = values.get(entry.fact.key, "").strip()
        if not value:
            return fallback or text
        if entry.fact is Fact.OPEN_NOW and value.lower() not in _TRUE:
            text = pick(entry.closed, lang) or fallback or text
    if fallback and not names(text) <= values.keys():
        return fallback
    return text


def from_entries(
    entries: Sequence[FaqEntry], settings: MatchSettings | None = None, source: str = "<faq>"
) -> FaqBase:
    """A FaqBase from entries built in code (tests, other loaders)."""
    return FaqBase(tuple(entries), settings or MatchSettings(), source)
