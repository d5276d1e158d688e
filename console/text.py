"""Showing untrusted text safely: no markup, no terminal control sequences."""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len

# C0 and C1 controls except newline, DEL, and the bidi overrides that can disguise text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ …
    return "\ufffd"


def clean(text: str) -> str:
    """`text` with control characters made visible and tabs expanded; newlines kept."""
    text = text.replace("\r\n", "\n").replace("\t", "    ")
    return _UNSAFE.sub(_visible, text)


def one_line(text: str, limit: int = 200) -> str:
    """The first line of `text`, cleaned and shortened."""
    first = clean(text).split("\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


def fold(text: str) -> str:
    """Case- and accent-insensitive form for filtering (keeps ä/ö distinct from a/o)."""
    return unicodedata.normalize("NFC", text).casefold()


def _joins(ch: str) -> bool:
    """A character that belongs to the one before it (accents, ZWJ, skin tones, selectors)."""
    return (
        unicodedata.combining(ch) > 0
        or ch in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
        or "\U000e0020" <= ch <= "\U000e007f"
    )


def fit(text: str, cells: int) -> str:
    """The first line of `text`, cleaned, at most `cells` terminal cells wide (wide East Asian
    characters and emoji count two); cut with "…" between whole characters, never inside an
    emoji sequence or before its accent."""
    first = clean(text).split("\n", 1)[0]
    if cells <= 0:
        return ""
    if (len(first) <= cells and first.isascii()) or cell_len(first) <= cells:
        return first
    room = cells - 1  # for the ellipsis
    used, cut = 0, 0
    i = 0
    while i < len(first):
        j = i + 1
        while j < len(first) and (_joins(first[j]) or first[j - 1] == "\u200d"):
            j += 1
        width = cell_len(first[i:j])
        if used + width > room:
            break
        used += width
        cut = i = j
    return first[:cut] + "…"
