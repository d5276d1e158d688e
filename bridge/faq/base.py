"""A loaded FAQ: its entries, the matchers built from them, and rendering of answers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bridge.faq.embed import EmbeddingCache, off_loop, shared_embedder
from bridge.faq.errors import FaqError
from bridge.faq.matcher import Matcher, MatchSettings
from bridge.faq.model import Fact, FaqEntry, FaqMatch, Kind
from bridge.faq.placeholders import fill, names, pick
from bridge.faq.semantic import SemanticIndex
from bridge.faq.text import states_problem, words

# `faq.matcher` in the bridge's configuration: words only (tiny machines), or words and meaning.
LEXICAL = "lexical"
HYBRID = "hybrid"
MATCHERS = (LEXICAL, HYBRID)

_TRUE = {"1", "true", "yes", "on", "open"}


@dataclass(frozen=True)
class FaqBase:
    """The entries of one faq.yaml; `match` finds an answer, `render` writes it out."""

    entries: tuple[FaqEntry, ...]
    settings: MatchSettings = field(default_factory=MatchSettings)
    source: str = "<faq>"
    semantic: SemanticIndex | None = field(default=None, repr=False, compare=False)
    matcher: Matcher = field(init=False, repr=False, compare=False)
    # entries with an example that states a problem ("uusiminen ei onnistu")
    _about_problems: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matcher", Matcher(self.entries, self.settings))
        troubles = frozenset(
            e.id for e in self.entries if any(states_problem(q) for qs in e.questions.values() for q in qs)
        )
        object.__setattr__(self, "_about_problems", troubles)

    def __iter__(self) -> Iterator[FaqEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> FaqEntry | None:
        """The entry with this id, or None."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    @property
    def kind(self) -> str:
        """Which matcher answers: "hybrid" (words and meaning) or "lexical" (words only)."""
        return HYBRID if self.semantic is not None else LEXICAL

    def match(self, text: str, lang: str) -> FaqMatch:
        """The best entry for a patron's message; `confident` says whether to answer with it.

        With the sentence model this takes milliseconds of CPU: in the bridge, await
        `match_async` instead, which runs it on the FAQ's worker thread."""
        ranked = self.matcher.rank(text, lang)
        score, entry = ranked[0] if ranked else (0.0, None)
        second, runner_up = ranked[1] if len(ranked) > 1 else (0.0, None)
        s = self.settings
        by_words = entry is not None and score >= s.threshold and score - second >= s.margin
        if by_words and entry is not None and self._off_topic_problem(entry, text):
            by_words = False  # "pin koodi ei toimi" is not "I forgot my PIN": ask, or suggest it
        sure = by_words and score >= s.words_sure
        if self.semantic is None or sure or not words(text) or len(text) > s.semantic_max_chars:
            return FaqMatch(
                entry if ranked else None,
                round(score, 4),
                by_words,
                runner_up,
                round(second, 4),
                () if by_words else self._word_suggestions(ranked),
                by="words" if by_words else "",
            )
        sims = self.semantic.scores(self.semantic.embed(text), s.example_weight)
        order = [int(i) for i in np.argsort(-sims, kind="stable")]
        best, other = float(sims[order[0]]), float(sims[order[1]]) if len(order) > 1 else -1.0
        meant = self.entries[order[0]]
        said = next((sc for sc, e in ranked if e is meant), 0.0)  # the words' score of that entry
        sure_of = best + s.semantic_lead_weight * (best - other) + s.semantic_word_weight * said
        if self._off_topic_problem(meant, text):
            sure_of = best  # a failure near a topic ("wifi ei toimi"): the lead proves nothing
        by_meaning = sure_of >= s.semantic_threshold and best - other >= s.semantic_margin
        close = tuple(
            self.entries[i]
            for i in order[: int(s.suggest_max)]
            if sims[i] >= s.suggest_floor and sims[i] >= best - s.suggest_gap
        )
        if by_words and entry is not None and (not by_meaning or meant is entry):
            sim = float(sims[self.entries.index(entry)])
            how = "both" if by_meaning else "words"
            return FaqMatch(entry, round(score, 4), True, runner_up, round(second, 4), (), round(sim, 4), how)
        if by_words and entry is not None:  # words and meaning disagree: let the patron choose
            both = (entry, meant)
            return FaqMatch(entry, round(score, 4), False, meant, round(best, 4), both, round(best, 4))
        runner = self.entries[order[1]] if len(order) > 1 else None
        return FaqMatch(
            meant,
            round(best, 4),
            by_meaning,
            runner,
            round(other, 4),
            () if by_meaning else close,
            round(best, 4),
            "meaning" if by_meaning else "",
        )

    def _off_topic_problem(self, entry: FaqEntry, text: str) -> bool:
        """The question states a problem and none of the entry's examples does."""
        return entry.id not in self._about_problems and states_problem(text)

    async def match_async(self, text: str, lang: str) -> FaqMatch:
        """`match` on the FAQ's worker thread, so the event loop never waits for the model."""
        return await off_loop(self.match, text, lang)

    def suggest(self, question: str, lang: str) -> list[FaqEntry]:
        """Entries for "Did you mean" when no answer is certain; [] when one is (or none fits)."""
        return list(self.match(question, lang).suggestions)

    async def suggest_async(self, question: str, lang: str) -> list[FaqEntry]:
        """`suggest` on the FAQ's worker thread."""
        return list((await self.match_async(question, lang)).suggestions)

    def _word_suggestions(self, ranked: list[tuple[float, FaqEntry]]) -> tuple[FaqEntry, ...]:
        """Without the model: entries near the threshold and near the best (two tie, say)."""
        if not ranked:
            return ()
        best = ranked[0][0]
        floor = max(self.settings.threshold - 0.15, best - 0.1)
        return tuple(entry for score, entry in ranked[: int(self.settings.suggest_max)] if score >= floor)

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
    entries: Sequence[FaqEntry],
    settings: MatchSettings | None = None,
    source: str = "<faq>",
    matcher: str = HYBRID,
    cache_dir: Path | None = None,
) -> FaqBase:
    """A FaqBase from entries (loaders, tests, the bench). `matcher`: "hybrid" or "lexical";
    hybrid falls back to lexical, with a warning in the log, where the model cannot load.
    `cache_dir`: where vectors of the examples are kept between runs (None: not kept)."""
    if matcher not in MATCHERS:
        raise FaqError(f"faq matcher: expected one of {', '.join(MATCHERS)}, got {matcher!r}")
    entries = tuple(entries)
    semantic = None
    if matcher == HYBRID:
        embedder = shared_embedder()
        if embedder is not None:
            semantic = SemanticIndex(entries, embedder, EmbeddingCache(cache_dir))
    return FaqBase(entries, settings or MatchSettings(), source, semantic)
