"""The Finnish personal identity code (henkilötunnus): shape, date and checksum."""

from __future__ import annotations

import re
from datetime import date

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

# DDMMYY, century sign, individual number, check character; never part of a longer word.
HETU_RE = re.compile(
    r"(?<!\w)([0-9]{2})([0-9]{2})([0-9]{2})([-+ABCDEFYXWVU])([0-9]{3})([0-9A-Y])(?!\w)",
    re.IGNORECASE,
)


def is_valid_hetu(day: str, month: str, year: str, sign: str, individual: str, check: str) -> bool:
    """True if the parts make a real date and the check character matches."""
    century = CENTURIES.get(sign.upper())
    if century is None:
        return False
    try:
        date(century + int(year), int(month), int(day))
    except ValueError:
        return False
    return CHECK_CHARS[int(day + month + year + individual) % 31] == check.upper()


def hetu_check_char(birth: str, individual: str) -> str:
    """The check character for DDMMYY and a three-digit individual number (for tests, demos)."""
    return CHECK_CHARS[int(birth + individual) % 31]
