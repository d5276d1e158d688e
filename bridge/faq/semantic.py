"""Similarity by meaning: the sentence-embedding half of the hybrid matcher."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from bridge.faq.embed import PASSAGE, QUERY, Embedder, EmbeddingCache
from bridge.faq.model import LANGS, FaqEntry

_RECENT = 1024  # question vectors kept (1.5 kB each)


class SemanticIndex:
    """The example questions (as questions) and answers (as documents) of every entry as
    vectors. A patron's question scores an entry by its nearest example and by its best
    answer, in any language: the model is multilingual."""

    def __init__(self, entries: Sequence[FaqEntry], embedder: Embedder, cache: EmbeddingCache) -> None:
        self.embedder = embedder
        self.count = len(entries)
        examples = [(n, q) for n, e in enumerate(entries) for g in LANGS for q in e.questions.get(g, ())]
        # An answer says what the entry is about in other words than its examples: on a FAQ
        # with one example per language it is half of what the model has to go on.
        answers = [(n, e.answers[lang]) for n, e in enumerate(entries) for lang in LANGS if lang in e.answers]
        self.example_owner = np.asarray([n for n, _ in examples], dtype=np.int64)
        self.answer_owner = np.asarray([n for n, _ in answers], dtype=np.int64)
        self.example_vectors = cache.vectors(embedder, [q for _, q in examples], QUERY)
        self.answer_vectors = cache.vectors(embedder, [a for _, a in answers], PASSAGE)
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, text: str) -> np.ndarray:
        """The vector of a patron's question (the slow part: run it off the event loop).

        Recent questions are remembered: the same question (asked again, or matched and
        then suggested) is embedded once."""
        with self._lock:
            found = self._recent.get(text)
            if found is not None:
                self._recent.move_to_end(text)
                return found
        vector = self.embedder.embed([text], QUERY)[0]
        vector.setflags(write=False)
        with self._lock:
            self._recent[text] = vector
            while len(self._recent) > _RECENT:
                self._recent.popitem(last=False)
        return vector

    def scores(self, vector: np.ndarray, example_weight: float) -> np.ndarray:
        """Per entry: `example_weight` × cosine of the nearest example + the rest × that of
        the nearest answer."""
        return example_weight * self._nearest(self.example_vectors, self.example_owner, vector) + (
            1.0 - example_weight
        ) * self._nearest(self.answer_vectors, self.answer_owner, vector)

    def _nearest(self, vectors: np.ndarray, owner: np.ndarray, vector: np.ndarray) -> np.ndarray:
        best = np.full(self.count, -1.0, dtype=np.float32)
        if len(owner):
            np.maximum.at(best, owner, vectors @ vector)
        return best
