"""Reading the weights file of `rota plan`: each library's percentage share and the week's hours."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rota.clock import Span
from rota.errors import PlanError, Problem
from rota.load import check_id, read_hours, read_text
from rota.validate import Places
from rota.yamlsrc import Document, parse_yaml

DEFAULT_HOURS: dict[int, tuple[Span, ...]] = {day: (Span(10 * 60, 16 * 60),) for day in range(5)}
TOP_KEYS = frozenset({"hours", "slot_hours", "weeks_per_year", "libraries", "roster"})


@dataclass(frozen=True)
class Share:
    """A library's share of the duty, in percent (shares need not sum to exactly 100)."""

    id: str
    name: str
    percent: float


@dataclass(frozen=True)
class Weights:
    """Input of the planner: shares, weekly service hours, slot length and weeks per year."""

    shares: tuple[Share, ...]
    hours: dict[int, tuple[Span, ...]]
    slot_minutes: int = 120
    weeks_per_year: int = 52
    source: str = "weights.yaml"
    roster: Path | None = None  # the roster in use: its pools and calendar (relative to the file)

    @property
    def total_percent(self) -> float:
        """Sum of all shares (100 when they are percentages of the whole)."""
        return sum(s.percent for s in self.shares)


def load_weights(path: str | Path) -> Weights:
    """Read a weights file; PlanError lists every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError([Problem(f"cannot read the weights: {exc}", str(path))]) from exc
    return parse_weights(text, source=str(path), base=path.parent)


def parse_weights(text: str, source: str = "weights.yaml", base: Path | None = None) -> Weights:
    """Parse weights YAML text; PlanError lists every problem; `roster:` is relative to `base`."""
    doc = parse_yaml(text, source)
    top = doc.data if isinstance(doc.data, dict) else {}
    if not doc.errors and not isinstance(doc.data, dict):
        doc.problem((), "a weights file is a mapping with at least `libraries`")
    for key in top:
        if key not in TOP_KEYS:
            doc.problem((key,), f"unknown key (known: {', '.join(sorted(TOP_KEYS))})", warning=True)
    hours = read_hours(doc, top["hours"], Places()) if "hours" in top else DEFAULT_HOURS
    weights = Weights(
        shares=_shares(doc, top.get("libraries")),
        hours=hours,
        slot_minutes=_slot_minutes(doc, top.get("slot_hours", 2)),
        weeks_per_year=_positive_int(doc, "weeks_per_year", top.get("weeks_per_year", 52)),
        source=source,
        roster=_roster_path(doc, top.get("roster"), base),
    )
    if not weights.shares and not doc.errors:
        doc.problem(("libraries",), "no libraries with a share")
    if doc.errors:
        raise PlanError(doc.errors)
    return weights


def _shares(doc: Document, value: Any) -> tuple[Share, ...]:
    if not isinstance(value, dict):
        if value is not None:
            doc.problem(("libraries",), "expected a mapping of library id → share")
        return ()
    out = []
    for lib_id, entry in value.items():
        path = ("libraries", lib_id)
        check_id(doc, path, lib_id)
        if isinstance(entry, dict):
            name = read_text(doc, (*path, "name"), entry.get("name")) or lib_id
            percent = entry.get("share")
        else:
            name, percent = lib_id, entry
        if isinstance(percent, bool) or not isinstance(percent, int | float) or percent < 0:
            doc.problem(path, f"expected a share in percent (a number ≥ 0), got {percent!r}")
            continue
        out.append(Share(lib_id, name, float(percent)))
    return tuple(out)


def _roster_path(doc: Document, value: Any, base: Path | None) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        doc.problem(("roster",), f"expected the path of a roster file, got {value!r}")
        return None
    return (base or Path(".")) / value.strip()


def _slot_minutes(doc: Document, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 24:
        doc.problem(("slot_hours",), f"expected hours per slot (e.g. 2), got {value!r}")
        return 120
    return round(value * 60)


def _positive_int(doc: Document, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        doc.problem((key,), f"expected a whole number > 0, got {value!r}")
        return 52
    return value
