"""Scoring a question against every entry: IDF-weighted soft overlap of stemmed terms."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bridge.faq.model import LANGS, FaqEntry
from bridge.faq.text import count_numbers, terms, weak_terms


@dataclass(frozen=True)
class MatchSettings:
    """Knobs of the matcher; the defaults were tuned on tests/faq/eval.yaml."""

    threshold: float = 0.60  # least score answered automatically
    margin: float = 0.10  # least lead over the best other entry
    other_lang: float = 0.95  # factor for matches in a language other than the patron's
    query_share: float = 0.6  # weight of "the question is explained" vs "an example is present"
    unknown_weight: float = 0.8  # weight of a word no entry knows, relative to the rarest word
    weak_weight: float = 0.3  # factor for words such as "why", "not", "does not work"
    number_weight: float = 0.5  # a number in the question, relative to an unknown word
    # Words this sure answer without asking the sentence model (saves its time; on eval.yaml
    # and holdout.yaml no question the words were this sure of was answered wrongly).
    words_sure: float = 0.9
    # The sentence model (faq.matcher: hybrid); tuned in the sparse mode of bench/faq_eval.py.
    # When the words are unsure, the best entry by meaning is answered when its similarity
    # + lead_weight × its lead over the next entry + word_weight × its word score reaches
    # the threshold: a clear lead, or some of the entry's own words, make up for a lower
    # similarity (the model's similarities of related questions lie close together).
    semantic_threshold: float = 0.9325
    semantic_lead_weight: float = 2.0
    semantic_word_weight: float = 0.05
    semantic_margin: float = 0.0  # least lead over the best other entry, whatever the rest
    example_weight: float = 0.4  # nearest example vs nearest answer in the similarity
    suggest_floor: float = 0.85  # least similarity for a "Did you mean" suggestion
    suggest_gap: float = 0.03  # suggestions are at most this far behind the best
    suggest_max: float = 3  # at most this many suggestions
    # Longer messages go by words only: the model's time grows with the text (about 1.5 ms a
    # token here), and a long message is a case for a librarian more often than a FAQ question.
    semantic_max_chars: float = 200


@dataclass(frozen=True)
class _EntryTerms:
    """One entry's terms in one language."""

    vocab: frozenset[str]
    examples: tuple[tuple[str, ...], ...]


@dataclass
class _LangIndex:
    """Everything precomputed for one language."""

    lang: str
    entries: dict[int, _EntryTerms]
    idf: dict[str, float] = field(default_factory=dict)
    postings: dict[str, tuple[int, ...]] = field(default_factory=dict)
    unknown: float = 1.0
    weak: frozenset[str] = frozenset()
    weak_weight: float = 1.0
    _vocab: list[str] = field(default_factory=list)
    _by_head: dict[str, list[str]] = field(default_factory=dict)
    _by_suffix: dict[str, list[str]] = field(default_factory=dict)
    _cache: dict[str, dict[str, float]] = field(default_factory=dict)

    def prepare(self, settings: MatchSettings) -> None:
        """Compute IDF, postings and the lookup tables for soft matches."""
        count = len(self.entries)
        posting: dict[str, list[int]] = {}
        for number, entry in self.entries.items():
            for term in entry.vocab:
                posting.setdefault(term, []).append(number)
        self.postings = {term: tuple(nums) for term, nums in posting.items()}
        self.idf = {t: math.log(1 + count / len(nums)) for t, nums in posting.items()}
        self.unknown = settings.unknown_weight * math.log(1 + count)
        self.weak = weak_terms(self.lang)
        self.weak_weight = settings.weak_weight
        self._vocab = sorted(posting)
        for term in self._vocab:
            self._by_head.setdefault(term[:3], []).append(term)
            for cut in range(3, len(term) - 3):
                self._by_suffix.setdefault(term[cut:], []).append(term)

    def expand(self, query: str) -> dict[str, float]:
        """Vocabulary terms a query term may stand for, with a similarity in 0..1."""
        cached = self._cache.get(query)
        if cached is None:
            cached = self._expand(query)
            if len(self._cache) < 50_000:
                self._cache[query] = cached
        return cached

    def _expand(self, query: str) -> dict[str, float]:
        """Exact, inflected (shared stem), compound and misspelt matches of a term."""
        found: dict[str, float] = {}

        def offer(term: str, sim: float) -> None:
            if sim > found.get(term, 0.0):
                found[term] = sim

        if query in self.idf:
            offer(query, 1.0)
        if len(query) >= 3:
            for term in self._by_head.get(query[:3], ()):
                offer(term, _prefix_sim(query, term))
        if len(query) >= 4:
            # compound head: kirjastokortti ~ kortti, lånekort ~ kort
            for term in self._by_suffix.get(query, ()):
                offer(term, 0.75)
            for cut in range(3, len(query) - 3):
                if query[cut:] in self.idf:
                    offer(query[cut:], 0.75)
        if len(query) >= 5:
            # a typo: one edit (two in long words), a swap of neighbours counting as one
            limit = 2 if len(query) >= 9 else 1
            for term, dist, _ in process.extract(
                query, self._vocab, scorer=OSA.distance, score_cutoff=limit, limit=8
            ):
                if dist and len(term) >= 5:
                    offer(term, 0.8 if dist == 1 else 0.65)
        return {term: sim for term, sim in found.items() if sim > 0.0}

    def weight(self, term: str, expansion: dict[str, float]) -> float:
        """How much a query term counts: the IDF of what it stands for, or `unknown`."""
        if expansion:
            best = max(expansion, key=lambda t: (expansion[t], self.idf[t]))
            weight = self.idf[best]
        else:
            weight = self.unknown
        # "why", "not": they tell entries apart, but never make a match on their own
        return weight * self.weak_weight if term in self.weak else weight

    def score(self, query: Sequence[str], query_share: float, extra: float = 0.0) -> dict[int, float]:
        """Score of every entry that shares a term with the question; `extra`: unmatched weight."""
        expansions = [self.expand(term) for term in query]
        weights = [self.weight(t, exp) for t, exp in zip(query, expansions, strict=True)]
        total = sum(weights) + extra * self.unknown
        candidates: set[int] = set()
        for expansion in expansions:
            for term in expansion:
                candidates.update(self.postings[term])
        # A rare word matched to a common one (e-äänikirja ~ kirja) explains only as much as
        # the common word says, in both directions.
        idf = self.idf
        cover: dict[str, float] = {}
        for query_term, expansion in zip(query, expansions, strict=True):
            full = self.weight(query_term, expansion) / (self.weak_weight if query_term in self.weak else 1.0)
            for term, sim in expansion.items():
                value = sim * min(1.0, full / idf[term])
                if value > cover.get(term, 0.0):
                    cover[term] = value
        scores: dict[int, float] = {}
        for number in candidates:
            entry = self.entries[number]
            explained = sum(
                max((s * min(w, idf[t]) for t, s in exp.items() if t in entry.vocab), default=0.0)
                for exp, w in zip(expansions, weights, strict=True)
            )
            q_cov = explained / total if total else 0.0
            e_cov = max((self._present(ex, cover) for ex in entry.examples), default=0.0)
            if q_cov > 0 and e_cov > 0:
                scores[number] = q_cov**query_share * e_cov ** (1 - query_share)
        return scores

    def _present(self, example: tuple[str, ...], cover: dict[str, float]) -> float:
        """Share of an example's weight that the question covers."""
        total = sum(self.idf[t] for t in example)
        if not total:
            return 0.0
        return sum(self.idf[t] * cover.get(t, 0.0) for t in example) / total


def _prefix_sim(query: str, term: str) -> float:
    """Similarity of two terms sharing a beginning: inflection, or a compound's first part."""
    common = 0
    for a, b in zip(query, term, strict=False):
        if a != b:
            break
        common += 1
    rest = max(len(query), len(term)) - common
    # endings the stemmer left: varaus ~ varauks, uusin ~ uusim, wif ~ wifi
    if (common >= 4 and rest <= 2) or (common >= 3 and rest <= 1):
        return 1.0 - 0.1 * rest
    if common >= 6 and rest == 3:
        return 0.7
    if common >= 4 and common == min(len(query), len(term)):
        return 0.4  # a compound's first part: kirjasto ~ kirjastokortti
    return 0.0


class Matcher:
    """Finds the entry a question is about; built once per FAQ file."""

    def __init__(self, entries: Sequence[FaqEntry], settings: MatchSettings) -> None:
        self.settings = settings
        self.entries = tuple(entries)
        self.indexes: dict[str, _LangIndex] = {}
        for lang in LANGS:
            per_entry: dict[int, _EntryTerms] = {}
            for number, entry in enumerate(self.entries):
                examples = tuple(tuple(terms(q, lang)) for q in entry.questions.get(lang, ()))
                examples = tuple(ex for ex in examples if ex)
                extra = {t for k in entry.keywords.get(lang, ()) for t in terms(k, lang)}
                vocab = frozenset({t for ex in examples for t in ex} | extra)
                if vocab:
                    per_entry[number] = _EntryTerms(vocab, examples)
            if per_entry:
                index = _LangIndex(lang, per_entry)
                index.prepare(settings)
                self.indexes[lang] = index

    def rank(self, text: str, lang: str) -> list[tuple[float, FaqEntry]]:
        """Entries with their scores, best first."""
        best: dict[int, float] = {}
        numbers = count_numbers(text) * self.settings.number_weight
        for code, index in self.indexes.items():
            query = terms(text, code)
            if not query:
                continue
            factor = 1.0 if code == lang else self.settings.other_lang
            for number, score in index.score(query, self.settings.query_share, numbers).items():
                score *= factor
                if score > best.get(number, 0.0):
                    best[number] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])
        return [(score, self.entries[number]) for number, score in ranked]
