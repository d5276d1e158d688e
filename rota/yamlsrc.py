"""YAML text to plain data, remembering the line of every key and item for error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from rota.errors import Problem

KeyPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 scalars: "no" and "on" stay strings, "10:00" is not 600."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if not tag.endswith((":bool", ":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def format_path(path: KeyPath) -> str:
    """A key path as text: libraries.tampere.desks[0]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Document:
    """Parsed YAML data with the line of each key path and the problems met so far."""

    source: str
    data: Any = None
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: KeyPath) -> int | None:
        """Line of a path, or of its nearest ancestor below the top that has one."""
        if not path:
            return self.lines.get(())
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def problem(self, path: KeyPath, message: str, *, warning: bool = False) -> None:
        """Record a problem at a key path."""
        self.problems.append(Problem(message, self.source, format_path(path), self.line(path), warning))

    @property
    def errors(self) -> list[Problem]:
        """Problems that are not warnings."""
        return [p for p in self.problems if not p.warning]


def parse_yaml(text: str, source: str) -> Document:
    """Parse YAML text; syntax errors and duplicate keys become problems."""
    doc = Document(source)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _convert(node, (), loader, doc)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        doc.problems.append(Problem(f"YAML syntax error: {reason}", source, "", line))
    finally:
        loader.dispose()
    return doc


def _convert(node: yaml.Node, path: KeyPath, loader: _Loader, doc: Document) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = key if isinstance(key, str) else str(key)
            sub = (*path, key)
            doc.lines[sub] = key_node.start_mark.line + 1
            if key in out:
                doc.problem(sub, f"duplicate key {key!r}")
            out[key] = _convert(value_node, sub, loader, doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), loader, doc) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. a date like 2026-02-30
        doc.problem(path, f"malformed value {node.value!r}: {exc}")
        return node.value
