"""Human text of a roster in Finnish, Swedish and English: hours, weekdays, opening times."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rota.clock import Span, format_minutes
from rota.model import Roster

DAY_NAMES = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
}
_TIME_SEP = {"en": ":", "fi": ".", "sv": "."}
_CLOSED = {"en": "closed", "fi": "suljettu", "sv": "stängt"}
_AND = {"en": " and ", "fi": " ja ", "sv": " och "}


def _lang(lang: str) -> str:
    code = (lang or "en").lower().split("-")[0].split("_")[0]
    return code if code in DAY_NAMES else "en"


def span_text(span: Span, lang: str = "en") -> str:
    """ "10:00–16:00" (en) or "10.00–16.00" (fi, sv)."""
    sep = _TIME_SEP[_lang(lang)]
    return f"{format_minutes(span.start, sep)}–{format_minutes(span.end, sep)}"


def hours_text(roster: Roster, lang: str) -> str:
    """Service hours as text, e.g. "Mon–Fri 10:00–16:00" or "ma–pe 10.00–16.00"."""
    code = _lang(lang)
    names = DAY_NAMES[code]
    groups: list[tuple[int, int, tuple[Span, ...]]] = []
    for day in range(7):
        spans = roster.hours_on(day)
        if not spans:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == spans:
            groups[-1] = (groups[-1][0], day, spans)
        else:
            groups.append((day, day, spans))
    if not groups:
        return _CLOSED[code]
    parts = []
    for first, last, spans in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        parts.append(f"{days} {_AND[code].join(span_text(s, code) for s in spans)}")
    return ", ".join(parts)


def when_text(moment: datetime, lang: str) -> str:
    """A local moment for people: "Mon 5 Jan 10:00", "ma 5.1. klo 10.00", "mån 5.1. kl. 10.00"."""
    code = _lang(lang)
    day = DAY_NAMES[code][moment.weekday()]
    clock = format_minutes(moment.hour * 60 + moment.minute, _TIME_SEP[code])
    if code == "en":
        return f"{day} {moment.day} {moment:%b} {clock}"
    return f"{day} {moment.day}.{moment.month}. {'klo' if code == 'fi' else 'kl.'} {clock}"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with a time zone), e.g. datetime.now(UTC)")
    return moment.astimezone(tz) if tz is not None else moment


def clock_text(moment: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """The local time of day for people: "10:30" (en), "10.30" (fi, sv)."""
    local = _local(moment, tz)
    return format_minutes(local.hour * 60 + local.minute, _TIME_SEP[_lang(lang)])


def date_text(moment: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """The local date for people: "23 Nov 2026" (en), "23.11.2026" (fi, sv)."""
    local = _local(moment, tz)
    if _lang(lang) == "en":
        return f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}"
    return f"{local.day}.{local.month}.{local.year}"


def datetime_text(moment: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """Date and time in the reader's language and the roster's zone.

    "23 Nov 2026, 10:30" (en), "23.11.2026 klo 10.30" (fi), "23.11.2026 kl. 10.30" (sv).
    """
    code = _lang(lang)
    day, clock = date_text(moment, code, tz), clock_text(moment, code, tz)
    if code == "en":
        return f"{day}, {clock}"
    return f"{day} {'klo' if code == 'fi' else 'kl.'} {clock}"
