"""Fast greedy word wrap by terminal cells, returning spans (so text is never re-parsed)."""

from __future__ import annotations

import re

from rich.cells import cell_len

_WORD = re.compile(r"\S+\s*|\s+")


def _hard_split(word: str, start: int, width: int, first_room: int) -> list[tuple[int, int]]:
    """Cut a word too long for a line into pieces of at most `width` cells."""
    spans: list[tuple[int, int]] = []
    room, cells, begin = first_room, 0, start
    for i, ch in enumerate(word):
        w = cell_len(ch)
        if cells + w > room and i + start > begin:
            spans.append((begin, start + i))
            begin, cells, room = start + i, 0, width
        cells += w
    spans.append((begin, start + len(word)))
    return spans


def wrap_spans(text: str, width: int, first_width: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each wrapped line of one paragraph (no newlines in `text`)."""
    width = max(width, 1)
    room = max(first_width if first_width is not None else width, 1)
    if len(text) <= room and (text.isascii() or cell_len(text) <= room):
        return [(0, len(text))]
    # Most text is one cell per character: then string lengths are cell counts.
    measure = len if text.isascii() or cell_len(text) == len(text) else cell_len
    spans: list[tuple[int, int]] = []
    line_start, used = 0, 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        stripped = word.rstrip()
        stripped_cells = measure(stripped)
        if used + stripped_cells <= room:
            used += stripped_cells + (len(word) - len(stripped))
            continue
        if used > 0:
            spans.append((line_start, m.start()))
            line_start, used, room = m.start(), 0, width
        if stripped_cells > room:
            pieces = _hard_split(stripped, m.start(), width, room)
            spans.extend(pieces[:-1])
            line_start = pieces[-1][0]
            used = measure(text[line_start : m.end()])
        else:
            used = stripped_cells + (len(word) - len(stripped))
    spans.append((line_start, len(text)))
    return spans
