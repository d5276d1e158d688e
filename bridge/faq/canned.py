"""Canned answers for librarians (canned.yaml): ready texts with {placeholders}."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bridge.faq.errors import FaqError
from bridge.faq.model import LANGS
from bridge.faq.placeholders import fill, pick
from bridge.faq.yamlsrc import parse_yaml, read_yaml, where

# Placeholders every sender fills (CONTRACTS §6); any other {name} is left as written.
PLACEHOLDERS = ("desk", "library", "hours")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_FIELDS = {"key", "title", "text", "tags"}


@dataclass(frozen=True)
class CannedAnswer:
    """A ready answer a librarian sends with `/canned KEY`."""

    key: str
    title: Mapping[str, str] = field(hash=False)
    text: Mapping[str, str] = field(hash=False)
    tags: tuple[str, ...] = ()

    def render(self, lang: str, **placeholders: object) -> str:
        """The text in `lang` (else en, fi, sv) with known {placeholders} filled."""
        return fill(pick(self.text, lang), placeholders)

    def title_for(self, lang: str) -> str:
        """The title in `lang`, falling back like the text, else the key."""
        return pick(self.title, lang) or self.key


def load_canned(path: str | Path) -> tuple[CannedAnswer, ...]:
    """Read a canned.yaml; raises FaqError naming the file, line and key of the first problem."""
    return _build(read_yaml(path), str(path))


def parse_canned(text: str, source: str = "<canned>") -> tuple[CannedAnswer, ...]:
    """Read canned.yaml text; `source` names it in errors."""
    return _build(parse_yaml(text, source), source)


def find_canned(answers: tuple[CannedAnswer, ...], key: str) -> CannedAnswer | None:
    """The canned answer with this key (case-insensitive), or None."""
    key = key.strip().lower()
    return next((answer for answer in answers if answer.key == key), None)


def _build(data: Any, source: str) -> tuple[CannedAnswer, ...]:
    """Canned answers from parsed YAML."""
    if not isinstance(data, list):
        raise FaqError(f"{source}: expected a list of canned answers (- key: …, text: …)")
    answers: list[CannedAnswer] = []
    for number, raw in enumerate(data, start=1):
        answer = _answer(raw, source, number)
        if find_canned(tuple(answers), answer.key):
            raise FaqError(f"{where(source, raw)}: canned '{answer.key}': key already used")
        answers.append(answer)
    return tuple(answers)


def _answer(raw: Any, source: str, number: int) -> CannedAnswer:
    """One canned answer, checked field by field."""
    if not isinstance(raw, Mapping):
        raise FaqError(f"{source}: canned answer {number}: expected a mapping with key and text")
    key = raw.get("key")
    name = f"canned '{key}'" if isinstance(key, str) else f"canned answer {number}"

    def fail(problem: str) -> FaqError:
        return FaqError(f"{where(source, raw)}: {name}: {problem}")

    if not isinstance(key, str) or not _KEY.match(key):
        raise fail("needs a `key` of lower-case letters, digits, '-', '_' or '.' (used as /canned KEY)")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise fail(f"unknown field(s) {sorted(unknown)}; known fields: {sorted(_FIELDS)}")
    text = _texts(raw.get("text"), "text", fail)
    if not text:
        raise fail("needs a `text` per language, e.g. text: {fi: …, en: …}")
    title = raw.get("title") or {}
    if isinstance(title, str):
        title = {lang: title for lang in LANGS}
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise fail("`tags` must be a list of tag ids, e.g. [login]")
    return CannedAnswer(key, _texts(title, "title", fail), text, tuple(t.strip() for t in tags))


def _texts(raw: Any, label: str, fail: Any) -> dict[str, str]:
    """A mapping of language to non-empty text."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise fail(f"`{label}` must map languages to text, e.g. {label}: {{fi: …, en: …}}")
    out: dict[str, str] = {}
    for lang, value in raw.items():
        if lang not in LANGS:
            raise fail(f"{label}: unknown language {lang!r}; use {', '.join(LANGS)}")
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{label}.{lang}: expected a non-empty text")
        out[lang] = value.strip()
    return out
