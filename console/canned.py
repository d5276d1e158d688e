"""Canned answers for librarians (`canned.yaml`, CONTRACTS §6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from console.errors import ConfigError


class _Keep(dict[str, str]):
    """Leaves unknown {placeholders} as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Canned:
    """One canned answer with its title and text per language."""

    key: str
    title: dict[str, str]
    text: dict[str, str]
    tags: tuple[str, ...] = field(default=())

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or next(iter(self.title.values()), self.key)

    def render(self, lang: str, fill: dict[str, str]) -> str:
        """The text in `lang` (else English, else any) with {desk}, {library}, {hours} filled."""
        text = self.text.get(lang) or self.text.get("en") or next(iter(self.text.values()), "")
        return text.format_map(_Keep(fill))


def _per_lang(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise ConfigError(f"{where}: expected text or a mapping of language → text")


def load_canned(path: Path | None) -> list[Canned]:
    """Read the canned answers file; an absent setting means none."""
    if path is None:
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read canned answers: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: expected a list of canned answers")
    out = []
    for n, entry in enumerate(raw, 1):
        where = f"{path}: entry {n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
            raise ConfigError(f"{where}: each answer needs a `key`")
        out.append(
            Canned(
                entry["key"],
                _per_lang(entry.get("title", entry["key"]), where),
                _per_lang(entry.get("text", ""), where),
                tuple(entry.get("tags") or ()),
            )
        )
    return out
