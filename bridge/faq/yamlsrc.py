"""YAML reading that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bridge.faq.errors import FaqError


class LineDict(dict):
    """A YAML mapping that knows the line it started on."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    """Build a LineDict, refusing a key given twice (PyYAML would silently keep the last)."""
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark
            )
        seen.add(key)
    data.update(loader.construct_mapping(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file; any problem becomes a FaqError naming the file (and line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise FaqError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_yaml(text, str(path))


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text; `source` names it in errors."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise FaqError(f"{where}: not valid YAML: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise FaqError(f"{source}: not valid YAML: {exc}") from exc


def where(source: str, node: object, fallback_line: int = 0) -> str:
    """`file:line` for a node read by this module."""
    line = getattr(node, "line", 0) or fallback_line
    return f"{source}:{line}" if line else source
