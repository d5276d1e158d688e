"""Reading faq.yaml into FaqEntry values, with errors that name the file, line and entry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from bridge.faq.base import HYBRID, FaqBase, from_entries
from bridge.faq.embed import default_cache_dir
from bridge.faq.errors import FaqError
from bridge.faq.matcher import MatchSettings
from bridge.faq.model import FACT_NAMES, LANGS, Fact, FaqEntry, Kind, Link
from bridge.faq.placeholders import names
from bridge.faq.yamlsrc import parse_yaml, read_yaml, where

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_KEYS = {
    "id",
    "questions",
    "answer",
    "links",
    "tag",
    "kind",
    "fact",
    "fallback",
    "closed",
    "keywords",
    "title",
}
_SETTINGS = {f.name for f in fields(MatchSettings)}


def load_faq(path: str | Path, matcher: str = HYBRID, cache_dir: Path | None = None) -> FaqBase:
    """Read a faq.yaml; raises FaqError naming the file, line and entry of the first problem.

    `matcher`: "hybrid" (default: words and a sentence model) or "lexical" (words only).
    The examples' vectors are cached in `cache_dir` (default: ~/.cache/tiski/faq-embeddings)."""
    entries, settings = _build(read_yaml(path), str(path))
    return from_entries(entries, settings, str(path), matcher, cache_dir or default_cache_dir())


def parse_faq(text: str, source: str = "<faq>", matcher: str = HYBRID) -> FaqBase:
    """Read faq.yaml text (for tests and tools); `source` names it in errors."""
    entries, settings = _build(parse_yaml(text, source), source)
    return from_entries(entries, settings, source, matcher)


def _build(data: Any, source: str) -> tuple[list[FaqEntry], MatchSettings]:
    """Entries and settings from parsed YAML."""
    settings = MatchSettings()
    if isinstance(data, Mapping):
        # Extension: {settings: {threshold: …, margin: …}, entries: [...]}
        settings = _settings(data.get("settings") or {}, source)
        data = data.get("entries")
    if not isinstance(data, list) or not data:
        raise FaqError(f"{source}: expected a list of entries (- id: …, questions: …, answer: …)")
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(data, start=1):
        entry = _entry(raw, source, number)
        if entry.id in seen:
            raise FaqError(
                f"{where(source, raw)}: entry '{entry.id}': id already used by entry {seen[entry.id]}"
            )
        seen[entry.id] = number
        entries.append(entry)
    return entries, settings


def _settings(raw: Any, source: str) -> MatchSettings:
    """Matcher settings from the optional `settings:` mapping."""
    if not isinstance(raw, Mapping):
        raise FaqError(f"{where(source, raw)}: settings: expected a mapping")
    unknown = set(raw) - _SETTINGS
    if unknown:
        raise FaqError(
            f"{where(source, raw)}: settings: unknown {sorted(unknown)}; known: {sorted(_SETTINGS)}"
        )
    try:
        return MatchSettings(**{key: float(value) for key, value in raw.items()})
    except (TypeError, ValueError) as exc:
        raise FaqError(f"{where(source, raw)}: settings: numbers expected ({exc})") from exc


def _entry(raw: Any, source: str, number: int) -> FaqEntry:
    """One entry, checked field by field."""
    if not isinstance(raw, Mapping):
        raise FaqError(f"{source}: entry {number}: expected a mapping with id, questions, answer")
    entry_id = raw.get("id")
    name = f"entry '{entry_id}'" if isinstance(entry_id, str) else f"entry {number}"

    def fail(problem: str) -> FaqError:
        return FaqError(f"{where(source, raw)}: {name}: {problem}")

    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        raise fail("needs an `id` of lower-case letters, digits, '-', '_' or '.'")
    unknown = set(raw) - _KEYS
    if unknown:
        raise fail(f"unknown field(s) {sorted(unknown)}; known fields: {sorted(_KEYS)}")
    questions = _texts(raw.get("questions"), "questions", fail, many=True)
    if not any(questions.values()):
        raise fail("needs `questions` with example questions in fi, sv or en")
    answers = _texts(raw.get("answer"), "answer", fail)
    if not answers:
        raise fail("needs an `answer` per language, e.g. answer: {fi: …, en: …}")
    kind, fact = _kind(raw, fail)
    fallback = _texts(raw.get("fallback"), "fallback", fail)
    closed = _texts(raw.get("closed"), "closed", fail)
    for label, texts in (("answer", answers), ("fallback", fallback), ("closed", closed)):
        for lang, text in texts.items():
            bad = names(text) - set(FACT_NAMES)
            if bad:
                raise fail(
                    f"{label}.{lang}: unknown placeholder(s) {sorted(bad)}; known: {', '.join(FACT_NAMES)}"
                )
    if not fallback and any(names(text) for text in (*answers.values(), *closed.values())):
        raise fail("an answer with {placeholders} needs a `fallback` for when the fact is unknown")
    tag = raw.get("tag")
    if tag is not None and (not isinstance(tag, str) or not tag.strip()):
        raise fail("`tag` must be a tag id such as login, card or loans")
    return FaqEntry(
        id=entry_id,
        questions=questions,
        answers=answers,
        links=_links(raw.get("links"), fail),
        tag=tag.strip() if tag else None,
        kind=kind,
        fact=fact,
        fallback=fallback,
        closed=closed,
        keywords=_texts(raw.get("keywords"), "keywords", fail, many=True),
        title=_texts(raw.get("title"), "title", fail),
        line=getattr(raw, "line", 0),
    )


def _kind(raw: Mapping[str, Any], fail: Any) -> tuple[Kind, Fact | None]:
    """`kind` and `fact`: a roster entry names the fact it answers."""
    try:
        kind = Kind(raw.get("kind", "text"))
    except ValueError:
        raise fail("`kind` must be text or roster") from None
    fact_name = raw.get("fact")
    if kind is Kind.TEXT:
        if fact_name is not None:
            raise fail("`fact` is only for `kind: roster`")
        return kind, None
    try:
        return kind, Fact(fact_name)
    except ValueError:
        choices = ", ".join(f.value for f in Fact)
        raise fail(f"`kind: roster` needs a `fact`: one of {choices}") from None


def _texts(raw: Any, label: str, fail: Any, many: bool = False) -> dict[str, Any]:
    """A per-language mapping: strings, or (many=True) lists of strings."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise fail(f"`{label}` must map languages to text, e.g. {label}: {{fi: …, en: …}}")
    out: dict[str, Any] = {}
    for lang, value in raw.items():
        if lang not in LANGS:
            raise fail(f"{label}: unknown language {lang!r}; use {', '.join(LANGS)}")
        items = [value] if many and isinstance(value, str) else value
        if many:
            if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
                raise fail(f"{label}.{lang}: expected a list of non-empty texts")
            out[lang] = tuple(v.strip() for v in items)
        else:
            if not isinstance(value, str) or not value.strip():
                raise fail(f"{label}.{lang}: expected a non-empty text")
            out[lang] = value.strip()
    return out


def _links(raw: Any, fail: Any) -> tuple[Link, ...]:
    """`links`: a list of {title: {lang: text}, url: http(s)://…}."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail("`links` must be a list of {title: …, url: …}")
    links: list[Link] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or set(item) - {"title", "url"}:
            raise fail(f"links[{number}]: expected {{title: {{fi: …}}, url: …}}")
        url = item.get("url")
        if not isinstance(url, str) or not (url.startswith(("https://", "http://")) or url.startswith("{")):
            raise fail(f"links[{number}]: `url` must start with https:// (or be a {{url}} fact)")
        title = item.get("title") or {}
        if isinstance(title, str):
            title = {lang: title for lang in LANGS}
        links.append(Link(_texts(title, f"links[{number}].title", fail), url))
    return tuple(links)
