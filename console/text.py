"""Showing untrusted text safely: no markup, no terminal control sequences."""

from __future__ import annotations

import re
import unicodedata

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
