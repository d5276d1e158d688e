"""A tag file cut into entry blocks and the text between them, so edits keep comments."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import yaml


@dataclass(frozen=True)
class Block:
    """One entry's lines: comment lines directly above it, the entry, a comment after it."""

    comments: str
    entry: str
    trailing: str
    flow: bool


@dataclass(frozen=True)
class Layout:
    """head + blocks[0] + gaps[0] + blocks[1] + … + tail is the file's text."""

    head: str
    blocks: tuple[Block, ...]
    gaps: tuple[str, ...]
    tail: str
    indent: str

    def render(self) -> str:
        """The file's text."""
        parts = [self.head]
        for i, block in enumerate(self.blocks):
            if i:
                parts.append(self.gaps[i - 1])
            parts += [block.comments, block.entry, block.trailing, "\n"]
        parts.append(self.tail)
        return "".join(parts)

    def with_entry(self, index: int, entry: str) -> Layout:
        """The same file with entry `index` replaced, its comments kept."""
        blocks = list(self.blocks)
        blocks[index] = replace(blocks[index], entry=entry)
        return replace(self, blocks=tuple(blocks))

    def swapped(self, i: int, j: int) -> Layout:
        """The same file with two entries (and their comments) swapped."""
        blocks = list(self.blocks)
        blocks[i], blocks[j] = blocks[j], blocks[i]
        return replace(self, blocks=tuple(blocks))

    def inserted(self, index: int, entry: str, flow: bool) -> Layout:
        """The same file with a new entry before position `index` (len(blocks): at the end)."""
        blocks = list(self.blocks)
        blocks.insert(index, Block("", entry, "", flow))
        gaps = list(self.gaps)
        if len(blocks) > 1:
            gaps.insert(index, "")
        return replace(self, blocks=tuple(blocks), gaps=tuple(gaps))


def cut(text: str) -> Layout | None:
    """Cut a block-style YAML list into a Layout; None if its shape is too unusual to keep."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if root is None:
        return Layout(_ensure_newline(text), (), (), "", "")
    if not isinstance(root, yaml.SequenceNode) or root.flow_style:
        return None
    lines = text.splitlines(keepends=True)
    spans = [_span(lines, item) for item in root.value]
    if any(end >= start for (_, end), (start, _) in itertools.pairwise(spans)):
        return None
    first_dash = spans[0][0] if spans else len(lines)
    indent = _indent(lines[first_dash]) if spans else ""
    blocks, gaps, previous_end = [], [], first_dash
    for number, ((start, end), item) in enumerate(zip(spans, root.value, strict=True)):
        top = start if number == 0 else _comments_top(lines, previous_end, start)
        if number:
            gaps.append("".join(lines[previous_end:top]))
        entry_lines = lines[start : end + 1]
        entry, trailing = _split_trailing(entry_lines, item)
        blocks.append(Block("".join(lines[top:start]), entry, trailing, bool(item.flow_style)))
        previous_end = end + 1
    head = "".join(lines[:first_dash])
    tail = "".join(lines[previous_end:]) if spans else ""
    return Layout(head, tuple(blocks), tuple(gaps), tail, indent)


def _span(lines: list[str], item: Any) -> tuple[int, int]:
    start = item.start_mark.line
    while start > 0 and not lines[start].lstrip().startswith("-"):
        start -= 1
    return start, _last_line(item)


def _last_line(node: Any) -> int:
    if isinstance(node, yaml.ScalarNode) or node.flow_style:
        mark = node.end_mark
        return mark.line - 1 if mark.column == 0 else mark.line
    children = (
        node.value if isinstance(node, yaml.SequenceNode) else [part for pair in node.value for part in pair]
    )
    return max((_last_line(child) for child in children), default=node.start_mark.line)


def _comments_top(lines: list[str], floor: int, start: int) -> int:
    top = start
    while top > floor and lines[top - 1].lstrip().startswith("#"):
        top -= 1
    return top


def _split_trailing(entry_lines: list[str], item: Any) -> tuple[str, str]:
    text = "".join(entry_lines).rstrip("\n")
    last = text.rsplit("\n", 1)[-1]
    if item.flow_style and len(entry_lines) == 1:
        rest = last[item.end_mark.column :]
        if rest.strip().startswith("#"):
            return text[: len(text) - len(rest)], rest
    return text, ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _ensure_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"
