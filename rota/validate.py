"""Cross-checks of a built roster: ids, pools, desks, overlaps, out-of-hours slots and gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rota.clock import WEEKDAYS, Span
from rota.model import Roster
from rota.yamlsrc import Document, KeyPath


@dataclass
class Places:
    """Where in the YAML each weekday's hours and each slot were written."""

    hours: dict[int, KeyPath] = field(default_factory=dict)
    shifts: dict[int, KeyPath] = field(default_factory=dict)
    slots: dict[tuple[int, Span], KeyPath] = field(default_factory=dict)
    # Days with an unreadable time: already reported, so gaps there would only be noise.
    bad_hours: set[int] = field(default_factory=set)
    bad_slots: set[int] = field(default_factory=set)


def validate(roster: Roster, doc: Document, places: Places) -> None:
    """Record every cross-reference and timetable problem of `roster` in `doc`."""
    _check_libraries(roster, doc)
    _check_pools(roster, doc)
    for i, target in enumerate(roster.fallback):
        if not roster.has_target(target):
            doc.problem(("fallback", i), _unknown(roster, target))
    for day in range(7):
        for slot in roster.shifts_on(day):
            if not roster.has_target(slot.target):
                doc.problem(places.slots[(day, slot.span)], _unknown(roster, slot.target))
    notes: DayNotes = {}
    for day in range(7):
        _check_day(roster, places, day, notes)
    for (path, text), days in notes.items():
        doc.problem(path, f"{_day_names(days)}: {text}")
    if not roster.hours:
        doc.problem(("hours",), "no service hours: the service is never open", warning=True)
    _dedupe(doc)


def _unknown(roster: Roster, target: str) -> str:
    ids = [*roster.libraries, *roster.pools]
    known = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
    return f"unknown library or pool {target!r} (known: {known})"


def _check_libraries(roster: Roster, doc: Document) -> None:
    if not roster.libraries:
        doc.problem(("libraries",), "no libraries: a roster needs at least one")
    owner: dict[str, str] = {}
    for lib in roster.libraries.values():
        for i, desk in enumerate(lib.desks):
            if desk in owner:
                doc.problem(
                    ("libraries", lib.id, "desks", i),
                    f"desk {desk!r} already belongs to library {owner[desk]!r}",
                )
            else:
                owner[desk] = lib.id


def _check_pools(roster: Roster, doc: Document) -> None:
    member_of: dict[str, str] = {}
    for pool in roster.pools.values():
        path: KeyPath = ("pools", pool.id)
        if pool.id in roster.libraries:
            doc.problem(path, f"pool id {pool.id!r} is also a library id")
        if not pool.members:
            doc.problem((*path, "members"), "empty pool: list at least one member library")
        for i, member in enumerate(pool.members):
            if member not in roster.libraries:
                what = "a pool, not a library" if member in roster.pools else "an unknown library"
                doc.problem((*path, "members", i), f"member {member!r} is {what}")
            elif member in member_of:
                doc.problem(
                    (*path, "members", i), f"library {member!r} is already in pool {member_of[member]!r}"
                )
            else:
                member_of[member] = pool.id


DayNotes = dict[tuple[KeyPath, str], list[int]]


def _check_day(roster: Roster, places: Places, day: int, notes: DayNotes) -> None:
    """Timetable problems of one weekday, gathered so that "mon-fri" reports them once."""

    def note(path: KeyPath, text: str) -> None:
        notes.setdefault((path, text), []).append(day)

    hours = roster.hours_on(day)
    slots = roster.shifts_on(day)
    for earlier, later in _overlaps(hours):
        note(places.hours[day], f"hours {later} overlap {earlier}")
    for slot in slots:
        path = places.slots[(day, slot.span)]
        outside = _minus([slot.span], hours)
        if outside and day not in places.bad_hours:
            where = ", ".join(map(str, hours)) or "none that day"
            note(
                path,
                f"slot {slot.span} is outside service hours ({where})"
                + (f": {', '.join(map(str, outside))}" if hours else ""),
            )
    for earlier, later in _overlaps(tuple(s.span for s in slots)):
        note(places.slots[(day, later)], f"slot {later} overlaps slot {earlier}")
    if day in places.bad_slots:
        return
    for gap in _minus(hours, [s.span for s in slots]):
        note(places.shifts.get(day) or places.hours[day], f"nobody on duty {gap} (inside service hours)")


def _day_names(days: list[int]) -> str:
    """ "mon", "mon-fri" for a run of days, else "mon, wed"."""
    if len(days) > 1 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in days)


def _overlaps(spans: tuple[Span, ...]) -> Iterable[tuple[Span, Span]]:
    ordered = sorted(spans)
    for i, later in enumerate(ordered):
        for earlier in ordered[:i]:
            if later.start < earlier.end:
                yield earlier, later


def _minus(spans: Iterable[Span], cover: Iterable[Span]) -> list[Span]:
    """Parts of `spans` not covered by any span of `cover`."""
    left = sorted(spans)
    for hole in sorted(cover):
        rest: list[Span] = []
        for span in left:
            if hole.end <= span.start or hole.start >= span.end:
                rest.append(span)
                continue
            if span.start < hole.start:
                rest.append(Span(span.start, hole.start))
            if hole.end < span.end:
                rest.append(Span(hole.end, span.end))
        left = rest
    merged: list[Span] = []
    for span in left:
        if merged and merged[-1].end >= span.start:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def _dedupe(doc: Document) -> None:
    """Drop repeats (a slot under "mon-fri" is checked once per weekday)."""
    seen: set[tuple[str, str, int | None, str]] = set()
    kept = []
    for p in doc.problems:
        key = (p.source, p.path, p.line, p.message)
        if key not in seen:
            seen.add(key)
            kept.append(p)
    doc.problems[:] = kept
