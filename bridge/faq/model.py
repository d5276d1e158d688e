"""Values of the automatic answers: entries, links and match results."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from bridge.faq.placeholders import pick

LANGS = ("fi", "sv", "en")
# Names an answer may use as {placeholders}; the bridge passes these as `facts`.
FACT_NAMES = ("open", "hours", "next_opening", "library_name", "phone", "url")


class Kind(enum.Enum):
    """Where an entry's answer comes from."""

    TEXT = "text"
    ROSTER = "roster"


class Fact(enum.Enum):
    """A fact of the roster that a `kind: roster` entry answers with."""

    OPEN_NOW = "open_now"
    PHONE = "phone"
    URL = "url"
    HOURS = "hours"

    @property
    def key(self) -> str:
        """The key of `facts` this fact is read from."""
        return "open" if self is Fact.OPEN_NOW else self.value


@dataclass(frozen=True)
class Link:
    """A link shown under an answer; `title` per language."""

    title: Mapping[str, str] = field(hash=False)
    url: str


@dataclass(frozen=True)
class FaqEntry:
    """One automatic answer: example questions and an answer per language, links, a tag."""

    id: str
    questions: Mapping[str, tuple[str, ...]] = field(hash=False)
    answers: Mapping[str, str] = field(hash=False)
    links: tuple[Link, ...] = ()
    tag: str | None = None
    kind: Kind = Kind.TEXT
    fact: Fact | None = None
    fallback: Mapping[str, str] = field(default_factory=dict, hash=False)
    closed: Mapping[str, str] = field(default_factory=dict, hash=False)
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    title: Mapping[str, str] = field(default_factory=dict, hash=False)  # a short name per language
    line: int = field(default=0, compare=False)

    def answer(self, lang: str) -> str:
        """The answer text in `lang` (else English, Finnish, Swedish), placeholders unfilled."""
        return pick(self.answers, lang)

    def label(self, lang: str) -> str:
        """A short name for a "Did you mean" button: the `title` in `lang` (falling back like
        answers), else the first example question in `lang`, else any first example."""
        if self.title:
            return pick(self.title, lang)
        first = {code: qs[0] for code, qs in self.questions.items() if qs}
        return pick(first, lang) or self.id

    def link_title(self, link: Link, lang: str) -> str:
        """A link's title in `lang` (falling back like answers), else its URL."""
        return pick(link.title, lang) or link.url


@dataclass(frozen=True)
class FaqMatch:
    """The best entry for a question, its score in 0..1, and whether to answer with it.

    `suggestions`: when not confident, the entries that are likely but not certain (best
    first, at most three) for "Did you mean"; empty when confident or when nothing is close.
    `by`: what decided: "words", "meaning", "both" (they agreed) or "" (no answer).
    """

    entry: FaqEntry | None
    score: float
    confident: bool
    runner_up: FaqEntry | None = None
    runner_up_score: float = 0.0
    suggestions: tuple[FaqEntry, ...] = ()
    similarity: float = 0.0  # the sentence model's score of `entry` (0 with the word matcher alone)
    by: str = ""
