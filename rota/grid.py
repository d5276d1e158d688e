"""The weekly grid of a roster as rows of cells, and plain-text or Markdown tables of cells."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from rota.clock import Span
from rota.model import Roster, Slot
from rota.text import DAY_NAMES, span_text

NOBODY = "—"


def grid_days(roster: Roster) -> list[int]:
    """Weekdays that have service hours or shifts, Monday first."""
    return [d for d in range(7) if roster.hours_on(d) or roster.shifts_on(d)]


def grid_rows(roster: Roster) -> list[tuple[Span, list[Slot | str]]]:
    """Rows of the week: a span and, per grid day, its slot, NOBODY (open, no shift) or ""."""
    days = grid_days(roster)
    bounds = sorted(
        {
            minute
            for d in days
            for span in (*roster.hours_on(d), *(s.span for s in roster.shifts_on(d)))
            for minute in (span.start, span.end)
        }
    )
    rows: list[tuple[Span, list[Slot | str]]] = []
    for start, end in pairwise(bounds):
        cells = [_cell(roster, d, start) for d in days]
        if all(c == "" for c in cells):
            continue
        if rows and rows[-1][0].end == start and rows[-1][1] == cells:
            rows[-1] = (Span(rows[-1][0].start, end), cells)
        else:
            rows.append((Span(start, end), cells))
    return rows


def _cell(roster: Roster, day: int, minute: int) -> Slot | str:
    for slot in roster.shifts_on(day):
        if slot.span.contains(minute):
            return slot
    return NOBODY if any(s.contains(minute) for s in roster.hours_on(day)) else ""


def grid_table(roster: Roster, *, expand: bool = False, ids: bool = False) -> list[list[str]]:
    """The weekly grid as a header row and one row per time span; cells may hold newlines."""
    header = ["", *(DAY_NAMES["en"][d] for d in grid_days(roster))]
    table = [header]
    for span, cells in grid_rows(roster):
        row = [span_text(span)]
        for cell in cells:
            row.append(cell if isinstance(cell, str) else _target(roster, cell.target, expand, ids))
        table.append(row)
    return table


def _target(roster: Roster, target: str, expand: bool, ids: bool) -> str:
    label = target if ids else roster.target_name(target)
    if expand and target in roster.pools:
        members = roster.pools[target].members
        return "\n".join([label, *(f"· {m if ids else roster.target_name(m)}" for m in members)])
    return label


def render_text(table: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain-text table (columns in `right` right-aligned); multi-line cells make taller rows."""
    widths = [
        max(len(line) for row in table for line in row[col].split("\n")) for col in range(len(table[0]))
    ]
    out: list[str] = []
    for n, row in enumerate(table):
        split = [cell.split("\n") for cell in row]
        for i in range(max(len(lines) for lines in split)):
            parts = [
                _pad(lines[i] if i < len(lines) else "", w, col in right)
                for col, (lines, w) in enumerate(zip(split, widths, strict=True))
            ]
            out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("─" * w for w in widths))
    return "\n".join(out)


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


def render_markdown(table: Sequence[Sequence[str]]) -> str:
    """A Markdown table; multi-line cells are joined with commas after the first line."""

    def flat(cell: str) -> str:
        head, *rest = cell.split("\n")
        return f"{head}: {', '.join(r.removeprefix('· ') for r in rest)}" if rest else head

    rows = [[flat(c) for c in row] for row in table]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)
