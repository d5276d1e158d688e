"""Matching a patron's e-mail address or phone number in contact fields and chat text."""

from __future__ import annotations

import re
from collections.abc import Callable

from bridge.privacy.errors import QueryError

_PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+|00)?[0-9][0-9 ()-]{4,16}[0-9](?!\w)")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def normalise_phone(text: str) -> str:
    """Digits of a phone number in Finnish national form: +358 40 123 4567 → 0401234567."""
    digits = re.sub(r"[^0-9]", "", text.replace("(0)", ""))
    if digits.startswith("00358"):
        return "0" + digits[5:]
    if text.lstrip().startswith("+358") or (digits.startswith("358") and len(digits) >= 11):
        return "0" + digits[3:]
    return digits


def contact_matcher(contact: str) -> Callable[[str], bool]:
    """A test for text mentioning `contact` (an e-mail address or a phone number)."""
    contact = contact.strip()
    if _EMAIL.fullmatch(contact):
        rx = re.compile(rf"(?<![\w.+-]){re.escape(contact)}(?![\w-]|\.\w)", re.IGNORECASE)
        return lambda text: bool(rx.search(text))
    wanted = normalise_phone(contact)
    if len(wanted) >= 6 and re.fullmatch(r"[0-9 ()+-]+", contact):
        return lambda text: any(normalise_phone(m.group()) == wanted for m in _PHONE_IN_TEXT.finditer(text))
    raise QueryError(
        f"--contact {contact!r}: give an e-mail address (maija@example.fi) or a phone"
        " number (040 123 4567, +358 40 123 4567)"
    )
