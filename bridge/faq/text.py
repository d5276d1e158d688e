"""Turning a patron's text into comparable terms: fold, split, drop function words, stem."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bridge.faq import stopwords

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}
_stemmers: dict[str, snowballstemmer.Stemmer] = {}


def fold(text: str) -> str:
    """Lower-case and drop diacritics (ä→a, ö→o, å→a), as patrons without them write."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


STOPWORDS = frozenset(fold(word) for word in stopwords.ALL)
_NUMBER = re.compile(r"\d+")
_APOSTROPHE = re.compile(r"['’`´]")  # can't → cant, Helsinki's → helsinkis


def words(text: str) -> list[str]:
    """Folded words; a lone `e` joins the next word (e kirja, e-kirja → ekirja)."""
    raw = _WORD.findall(_APOSTROPHE.sub("", fold(text)))
    out: list[str] = []
    glue = False
    for word in raw:
        if glue:
            out.append("e" + word)
            glue = False
        elif word == "e":
            glue = True
        else:
            out.append(word)
    return out


def _stemmer(lang: str) -> snowballstemmer.Stemmer:
    """The Snowball stemmer of a language (created once)."""
    if lang not in _stemmers:
        _stemmers[lang] = snowballstemmer.stemmer(_STEMMER_NAMES[lang])
    return _stemmers[lang]


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of an already folded word."""
    return _stemmer(lang).stemWord(word)


def terms(text: str, lang: str) -> list[str]:
    """Content terms of a text in a language: no function words, stemmed, no duplicates."""
    seen: list[str] = []
    for word in words(text):
        if len(word) < 2 or word in STOPWORDS:
            continue
        term = stem(word, lang)
        if len(term) >= 2 and term not in seen:
            seen.append(term)
    return seen


def weak_terms(lang: str) -> frozenset[str]:
    """Terms of the words that tell entries apart but never decide a match alone."""
    return frozenset(stem(fold(word), lang) for word in stopwords.WEAK)


_PROBLEM_WORDS = frozenset(fold(w) for w in stopwords.PROBLEM if not w.endswith("*"))
_PROBLEM_STARTS = tuple(fold(w[:-1]) for w in stopwords.PROBLEM if w.endswith("*"))


def states_problem(text: str) -> bool:
    """Whether a text says something does not work (ei toimi, fungerar inte, an error, crashes)."""
    return any(w in _PROBLEM_WORDS or w.startswith(_PROBLEM_STARTS) for w in words(text))


def count_numbers(text: str) -> int:
    """How many numbers a text has (a sum, a year, a date: signs of a case for a person)."""
    return len(_NUMBER.findall(text))
