"""Reading `tags.yaml` into a TagSet, with errors that name the file, line and entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tags.errors import TagError
from tags.matching import fold
from tags.model import AUTO_RULES, Tag, TagSet

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")
KEYS = ("id", "name", "auto", "removed")
EXAMPLE = "- {id: login, name: {fi: Kirjautumisasiat, en: Login}}"


def load_tags(path: str | Path) -> TagSet:
    """Read and validate a tag file; raises TagError naming the file and entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TagError(f"{path}: cannot read the tag file: {exc}") from exc
    return parse_tags(text, source=str(path))


def parse_tags(text: str, source: str = "tags.yaml") -> TagSet:
    """Parse and validate tag YAML; raises TagError listing every problem with its line."""
    root, data = _compose(text, source)
    if data is None:
        return TagSet((), source)
    if not isinstance(data, list) or root is None:
        raise TagError(f"{source}: the file must be a list of tags, like: {EXAMPLE}")
    problems: list[str] = []
    tags: list[Tag] = []
    for number, (node, entry) in enumerate(zip(root.value, data, strict=True), start=1):
        where = f"{source}:{node.start_mark.line + 1}: entry {number}"
        tag = _entry(entry, where, problems)
        if tag is not None:
            tags.append(tag)
    _check_set(tags, source, problems)
    if problems:
        raise TagError("\n".join(problems), tuple(problems))
    return TagSet(tuple(tags), source)


def _compose(text: str, source: str) -> tuple[Any, Any]:
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise TagError(f"{place}: not valid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise TagError(f"{source}: not valid YAML: {exc}") from exc
    return node, data


def _entry(entry: Any, where: str, problems: list[str]) -> Tag | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: a tag must be a mapping, like: {EXAMPLE}")
        return None
    tag_id = entry.get("id")
    if not isinstance(tag_id, str) or not ID_PATTERN.match(tag_id):
        problems.append(
            f"{where}: 'id' must be lower-case ascii letters, digits, '-' or '_' (got {tag_id!r})"
        )
        return None
    where = f"{where} ({tag_id})"
    before = len(problems)
    unknown = sorted(str(key) for key in entry if key not in KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(KEYS)}")
    names = _names(entry.get("name"), where, problems)
    auto = entry.get("auto")
    if auto is not None and auto not in AUTO_RULES:
        problems.append(f"{where}: 'auto' must be one of {', '.join(sorted(AUTO_RULES))}")
    removed = entry.get("removed", False)
    if not isinstance(removed, bool):
        problems.append(f"{where}: 'removed' must be true or false")
    if len(problems) > before:
        return None
    return Tag(tag_id, names, auto, removed)


def _names(value: Any, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where}: 'name' must map languages to names, e.g. {{fi: …, en: …}}")
        return {}
    names: dict[str, str] = {}
    for lang, name in value.items():
        if not isinstance(lang, str) or not LANG_PATTERN.match(lang):
            problems.append(f"{where}: {lang!r} is not a language code like fi, sv or en")
        elif not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: the {lang} name must be non-empty text")
        elif name.strip().isdigit():
            problems.append(f"{where}: the {lang} name {name!r} would be taken for a tag number")
        else:
            names[lang] = name.strip()
    return names


def _check_set(tags: list[Tag], source: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for tag in tags:
        if tag.id in seen:
            problems.append(f"{source}: id {tag.id!r} is used twice; ids must be unique")
        seen.add(tag.id)
    visible = [tag for tag in tags if not tag.removed]
    rules = [tag.auto for tag in visible if tag.auto]
    for rule in sorted({r for r in rules if rules.count(r) > 1}):
        problems.append(f"{source}: more than one tag has auto: {rule}")
    owner: dict[str, str] = {fold(tag.id): tag.id for tag in visible}
    for tag in visible:
        for name in tag.names.values():
            key = fold(name)
            other = owner.setdefault(key, tag.id)
            if other != tag.id:
                problems.append(
                    f"{source}: the name {name!r} of {tag.id!r} is also the name or id of "
                    f"{other!r}; names must tell tags apart"
                )
