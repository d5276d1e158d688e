"""Reading a roster: YAML text → Roster, with every problem named by file, key path and line."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from rota.clock import Span, parse_span, weekday_keys
from rota.errors import Problem, RosterError
from rota.model import DateRange, Library, Pool, Roster, Slot
from rota.validate import Places, validate
from rota.yamlsrc import Document, KeyPath, parse_yaml

DEFAULT_TIMEZONE = "Europe/Helsinki"
TOP_KEYS = frozenset(
    {
        "timezone",
        "hours",
        "closed",
        "libraries",
        "pools",
        "shifts",
        "fallback",
        "public_holidays",
        "coordinators",
        "rollover_seconds",
    }
)
LIBRARY_KEYS = frozenset({"name", "desks", "phone", "url", "lang"})
DESK_LANGS = ("fi", "sv", "en")
POOL_KEYS = frozenset({"name", "members"})
ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Bare JID: localpart@domain, no resource; characters XMPP forbids in a localpart excluded.
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
BARE_JID = re.compile(rf"[^\s\"&'/:<>@]+@{_LABEL}(?:\.{_LABEL})*")
_RANGE = re.compile(r"\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*")


def load_roster(path: str | Path) -> Roster:
    """Read and check a roster file; RosterError lists every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError([Problem(f"cannot read the roster: {exc}", str(path))]) from exc
    return parse_roster(text, source=str(path))


def parse_roster(text: str, source: str = "rota.yaml") -> Roster:
    """Parse and check roster YAML text; RosterError lists every problem."""
    roster, problems = check_roster(text, source)
    if roster is None:
        raise RosterError([p for p in problems if not p.warning])
    return roster


def check_roster(text: str, source: str = "rota.yaml") -> tuple[Roster | None, list[Problem]]:
    """The roster (None when it has errors) and every problem and warning found."""
    doc = parse_yaml(text, source)
    if doc.errors:
        return None, doc.problems
    places = Places()
    roster = _build(doc, places)
    validate(roster, doc, places)
    doc.problems.sort(key=lambda p: (p.line is None, p.line or 0))
    if doc.errors:
        return None, doc.problems
    warnings = tuple(p for p in doc.problems if p.warning)
    return replace(roster, warnings=warnings), doc.problems


def _build(doc: Document, places: Places) -> Roster:
    top = doc.data
    if top is None:
        top = {}
    if not isinstance(top, dict):
        doc.problem((), "a roster is a mapping of keys (timezone, hours, libraries, …)")
        top = {}
    _unknown_keys(doc, (), top, TOP_KEYS)
    libraries = _libraries(doc, top.get("libraries"))
    return Roster(
        timezone=_timezone(doc, top.get("timezone", DEFAULT_TIMEZONE)),
        libraries=libraries,
        pools=_pools(doc, top.get("pools")),
        hours=read_hours(doc, top.get("hours"), places),
        shifts=_shifts(doc, top.get("shifts"), places),
        closed=_closed(doc, top.get("closed")),
        public_holidays=_country(doc, top.get("public_holidays")),
        fallback=_ids(doc, ("fallback",), top.get("fallback")),
        coordinators=_jids(doc, ("coordinators",), top.get("coordinators")),
        rollover_seconds=_seconds(doc, top.get("rollover_seconds", 30)),
        source=doc.source,
    )


def _unknown_keys(doc: Document, path: KeyPath, mapping: dict[str, Any], known: frozenset[str]) -> None:
    for key in mapping:
        if key not in known:
            doc.problem((*path, key), f"unknown key (known: {', '.join(sorted(known))})", warning=True)


def _mapping(doc: Document, path: KeyPath, value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        doc.problem(path, f"expected a mapping of {what}, got {_kind(value)}")
        return {}
    return value


def _list(doc: Document, path: KeyPath, value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        doc.problem(path, f"expected a list of {what}, got {_kind(value)}")
        return []
    return value


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a number"}.get(
        type(value), type(value).__name__
    )


def _timezone(doc: Document, value: Any) -> ZoneInfo:
    try:
        if not isinstance(value, str) or not value:
            raise ValueError
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        doc.problem(("timezone",), f"unknown time zone {value!r} (e.g. Europe/Helsinki)")
        return ZoneInfo(DEFAULT_TIMEZONE)


def _libraries(doc: Document, value: Any) -> dict[str, Library]:
    out: dict[str, Library] = {}
    for lib_id, entry in _mapping(doc, ("libraries",), value, "library ids").items():
        path: KeyPath = ("libraries", lib_id)
        check_id(doc, path, lib_id)
        if not isinstance(entry, dict):
            doc.problem(path, "expected a mapping with name and desks")
            entry = {}
        _unknown_keys(doc, path, entry, LIBRARY_KEYS)
        desks = _jids(doc, (*path, "desks"), entry.get("desks"))
        if "desks" in entry and not entry["desks"]:
            doc.problem((*path, "desks"), "a library needs at least one desk account")
        elif "desks" not in entry:
            doc.problem(path, "missing desks: a library needs at least one desk account")
        url = read_text(doc, (*path, "url"), entry.get("url"))
        if url is not None and not re.match(r"https?://\S+$", url):
            doc.problem((*path, "url"), f"expected an http(s) address, got {url!r}")
        lang = read_text(doc, (*path, "lang"), entry.get("lang"))
        if lang is not None and lang not in DESK_LANGS:
            doc.problem((*path, "lang"), f"expected fi, sv or en, got {lang!r}")
            lang = None
        out[lib_id] = Library(
            id=lib_id,
            name=read_text(doc, (*path, "name"), entry.get("name")) or lib_id,
            desks=desks,
            phone=read_text(doc, (*path, "phone"), entry.get("phone")),
            url=url,
            lang=lang,
        )
    return out


def _pools(doc: Document, value: Any) -> dict[str, Pool]:
    out: dict[str, Pool] = {}
    for pool_id, entry in _mapping(doc, ("pools",), value, "pool ids").items():
        path: KeyPath = ("pools", pool_id)
        check_id(doc, path, pool_id)
        if not isinstance(entry, dict):
            doc.problem(path, "expected a mapping with name and members")
            entry = {}
        _unknown_keys(doc, path, entry, POOL_KEYS)
        out[pool_id] = Pool(
            id=pool_id,
            name=read_text(doc, (*path, "name"), entry.get("name")) or pool_id,
            members=_ids(doc, (*path, "members"), entry.get("members")),
        )
    return out


def check_id(doc: Document, path: KeyPath, ident: str) -> None:
    """Report an id that is not a lower-case ASCII slug."""
    if not ID.fullmatch(ident):
        doc.problem(path, f"id {ident!r} must be lower-case ASCII letters, digits, '-' or '_'")


def read_text(doc: Document, path: KeyPath, value: Any) -> str | None:
    """A text value (numbers become text, e.g. phone numbers); None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        doc.problem(path, f"expected text, got {_kind(value)}")
        return None
    return str(value)


def _ids(doc: Document, path: KeyPath, value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for i, item in enumerate(_list(doc, path, value, "ids")):
        if not isinstance(item, str):
            doc.problem((*path, i), f"expected an id, got {item!r}")
        elif item in out:
            doc.problem((*path, i), f"{item!r} is listed twice")
        else:
            out.append(item)
    return tuple(out)


def _jids(doc: Document, path: KeyPath, value: Any) -> tuple[str, ...]:
    out: list[str] = []
    for i, item in enumerate(_list(doc, path, value, "XMPP addresses")):
        jid = item.strip().lower() if isinstance(item, str) else ""
        if not BARE_JID.fullmatch(jid):
            hint = " (no /resource)" if isinstance(item, str) and "/" in item else ""
            doc.problem((*path, i), f"{item!r} is not a bare JID like name@chat.example{hint}")
        elif jid in out:
            doc.problem((*path, i), f"{item!r} is listed twice")
        else:
            out.append(jid)
    return tuple(out)


def _weekday_map(doc: Document, section: str, value: Any) -> dict[int, tuple[KeyPath, Any]]:
    """Weekday keys ("mon", "mon-fri") of a section → (path, value) per weekday."""
    out: dict[int, tuple[KeyPath, Any]] = {}
    for key, entry in _mapping(doc, (section,), value, "weekdays").items():
        path: KeyPath = (section, key)
        days = weekday_keys(key)
        if days is None:
            doc.problem(
                path, f"unknown weekday {key!r} (mon, tue, wed, thu, fri, sat, sun or a range like mon-fri)"
            )
            continue
        repeated = [f"{section}.{out[day][0][-1]}" for day in days if day in out]
        if repeated:
            doc.problem(path, f"{key!r} repeats a weekday already given at {', '.join(repeated)}")
        for day in days:
            out.setdefault(day, (path, entry))
    return out


def read_hours(doc: Document, value: Any, places: Places) -> dict[int, tuple[Span, ...]]:
    """Service hours per weekday from an `hours` mapping ("mon": "10:00-16:00" or a list)."""
    out: dict[int, tuple[Span, ...]] = {}
    for day, (path, entry) in _weekday_map(doc, "hours", value).items():
        places.hours[day] = path
        items = [] if entry in (None, "closed") else entry if isinstance(entry, list) else [entry]
        spans: list[Span] = []
        for i, item in enumerate(items):
            sub = (*path, i) if isinstance(entry, list) else path
            try:
                spans.append(parse_span(item))
            except ValueError as exc:
                doc.problem(sub, str(exc))
                places.bad_hours.add(day)
        if spans:
            out[day] = tuple(sorted(spans))
    return out


def _shifts(doc: Document, value: Any, places: Places) -> dict[int, tuple[Slot, ...]]:
    out: dict[int, tuple[Slot, ...]] = {}
    for day, (path, entry) in _weekday_map(doc, "shifts", value).items():
        places.shifts[day] = path
        if entry is not None and not isinstance(entry, dict):
            places.bad_slots.add(day)
        slots: list[Slot] = []
        for key, target in _mapping(doc, path, entry, "time slots").items():
            try:
                span = parse_span(key)
            except ValueError as exc:
                doc.problem((*path, key), str(exc))
                places.bad_slots.add(day)
                continue
            if not isinstance(target, str):
                doc.problem((*path, key), f"expected a library or pool id, got {target!r}")
                places.bad_slots.add(day)
                continue
            places.slots[(day, span)] = (*path, key)
            slots.append(Slot(span, target))
        if slots:
            out[day] = tuple(sorted(slots, key=lambda s: s.span))
    return out


def _closed(doc: Document, value: Any) -> tuple[DateRange, ...]:
    out: list[DateRange] = []
    for i, item in enumerate(_list(doc, ("closed",), value, "dates")):
        try:
            out.append(_date_range(item))
        except ValueError as exc:
            doc.problem(("closed", i), str(exc))
    return tuple(out)


def _date_range(item: Any) -> DateRange:
    if isinstance(item, date):
        return DateRange(item, item)
    text = str(item)
    match = _RANGE.fullmatch(text)
    try:
        if match:
            first, last = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        else:
            first = last = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"malformed date {text!r} (expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)") from None
    if last < first:
        raise ValueError(f"date range {text!r} ends before it starts")
    return DateRange(first, last)


def _country(doc: Document, value: Any) -> str | None:
    if value in (None, False, ""):
        return None
    code = str(value).strip().upper()
    country, _, subdiv = code.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        doc.problem(
            ("public_holidays",),
            f"no public holidays known for {value!r} (an ISO 3166 country code such as FI)",
        )
        return None
    if subdiv and subdiv not in {s.upper() for s in supported[country]}:
        doc.problem(("public_holidays",), f"unknown subdivision {subdiv!r} of {country}")
        return None
    return code


def _seconds(doc: Document, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        doc.problem(("rollover_seconds",), f"expected a whole number of seconds ≥ 0, got {value!r}")
        return 30
    return value
