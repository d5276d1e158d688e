"""Text around the grids: the roster summary of `show`, and the tables of `plan`."""

from __future__ import annotations

from rota.clock import WEEKDAYS
from rota.grid import render_text
from rota.model import Roster
from rota.plan import Calendar, Comparison, Plan
from rota.text import hours_text
from rota.weights import Weights


def show_lines(roster: Roster, grid: str) -> list[str]:
    """The `show` output: hours, the grid, pools, fallback and closed days."""
    lines = [f"Service hours: {hours_text(roster, 'en')} ({roster.timezone.key})", "", grid, ""]
    if roster.pools:
        lines.append("Pools:")
        for pool in roster.pools.values():
            members = ", ".join(roster.target_name(m) for m in pool.members)
            lines.append(f"  {pool.id}  {pool.name}: {members}")
    fallback = ", ".join(f"{t} ({roster.target_name(t)})" for t in roster.fallback)
    lines.append(f"Fallback: {fallback or 'none'}")
    closed = [f"public holidays ({roster.public_holidays})"] if roster.public_holidays else []
    closed += [str(r) for r in roster.closed]
    lines.append(f"Closed: {', '.join(closed) or 'no closed days listed'}")
    return lines


def _hours(value: float) -> str:
    return f"{value:g}"


def plan_lines(plan: Plan, grid: str) -> list[str]:
    """The `plan` output: the service, the share table, the pools and the proposed grid."""
    w = plan.weights
    service = (
        f"Service: {_hours(plan.weekly_hours)} h a week in {plan.slots_per_week} slots of "
        f"{_hours(w.slot_minutes / 60)} h; {_hours(round(plan.annual_hours, 1))} h a year"
    )
    if plan.year is None:
        lines = [
            f"{service} ({w.weeks_per_year} weeks)",
            "Note: every week counted as open; with the roster (--roster, or `roster:` in the "
            "weights file) its closed days and public holidays are left out.",
        ]
    else:
        lines = [f"{service} in {plan.year.year} ({_calendar_text(plan.year, set(w.hours))})"]
    if plan.uncovered_minutes:
        lines.append(f"Note: {plan.uncovered_minutes} min a week do not fill a whole slot.")
    if abs(w.total_percent - 100) > 0.05:
        lines.append(f"Note: the shares sum to {w.total_percent:g}, not 100; scaled to the whole.")
    units = {u.id: u for u in plan.units}
    table = [["library", "share %", "fair h/year", "fair slots/week", "shifts"]]
    for fair in plan.fair:
        unit = units.get(fair.unit)
        if unit is None:
            takes = "none (no share)"
        elif unit.is_pool:
            takes = f"{unit.id} ({unit.name})"
        else:
            takes = f"own: {unit.slots} slot{'s' if unit.slots != 1 else ''}"
        table.append(
            [fair.name, f"{fair.percent:.1f}", f"{fair.hours_per_year:.1f}", f"{fair.quota:.2f}", takes]
        )
    lines += ["", render_text(table, right=(1, 2, 3))]
    pools = [u for u in plan.units if u.is_pool]
    if pools:
        lines += ["", "Pools (libraries whose share is below one slot):"]
        names = {f.id: f.name for f in plan.fair}
        for pool in pools:
            members = ", ".join(names[m] for m in pool.members)
            lines.append(f"  {pool.id}  {pool.name} ({pool.quota:.2f} slots → {pool.slots}): {members}")
    lines += ["", "Proposed weekly grid:", "", grid]
    return lines


def _calendar_text(year: Calendar, service_days: set[int]) -> str:
    closed = year.closed_on(service_days)
    return f"{year.source}'s calendar: {closed} closed day{'s' if closed != 1 else ''} left out"


def plan_yaml(plan: Plan) -> str:
    """The proposed pools and shifts as roster YAML, ready to paste into rota.yaml."""
    lines = []
    pools = [u for u in plan.units if u.is_pool]
    if pools:
        lines.append("pools:")
        for pool in pools:
            lines.append(f'  {pool.id}: {{name: "{pool.name}", members: [{", ".join(pool.members)}]}}')
    lines.append("shifts:")
    for day, slots in plan.shifts.items():
        cells = ", ".join(f'"{slot.span}": {slot.target}' for slot in slots)
        lines.append(f"  {WEEKDAYS[day]}: {{{cells}}}")
    return "\n".join(lines)


def comparison_lines(
    rows: tuple[Comparison, ...], roster_name: str, weights: Weights, year: Calendar | None = None
) -> list[str]:
    """The `plan --check` output: fair against rostered hours a year per library."""
    total_fair = sum(r.fair_hours for r in rows)
    total_rostered = sum(r.rostered_hours for r in rows)
    over = (
        f"in {year.year} by the roster's calendar, closed days and public holidays left out"
        if year
        else f"over {weights.weeks_per_year} weeks"
    )
    lines = [
        f"{roster_name} against the shares in {weights.source}",
        f"(hours a year {over}; pool shifts split between the members by share)",
        "",
    ]
    table = [["library", "share %", "fair h/year", "rostered h/year", "difference"]]
    for r in rows:
        table.append(
            [
                r.name,
                f"{r.percent:.1f}",
                f"{r.fair_hours:.1f}",
                f"{r.rostered_hours:.1f}",
                f"{r.difference:+.1f}",
            ]
        )
    table.append(
        [
            "total",
            f"{sum(r.percent for r in rows):.1f}",
            f"{total_fair:.1f}",
            f"{total_rostered:.1f}",
            f"{total_rostered - total_fair:+.1f}",
        ]
    )
    lines.append(render_text(table, right=(1, 2, 3, 4)))
    missing = [r.name for r in rows if r.percent == 0 and r.rostered_hours > 0]
    if missing:
        lines += ["", f"Not in the weights file (no share): {', '.join(missing)}"]
    absent = [r.name for r in rows if r.percent > 0 and r.rostered_hours == 0]
    if absent:
        lines += ["", f"No hours in the roster: {', '.join(absent)}"]
    return lines
