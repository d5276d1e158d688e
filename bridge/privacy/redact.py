"""Redaction of library card numbers, henkilötunnus and PIN codes from chat text (pure, no I/O).

Placeholders contain no digits and are bracketed; the rules never match across a bracket, so
redacting twice gives the same text as redacting once. See docs/data-protection.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from bridge.privacy.hetu import HETU_RE, is_valid_hetu

# 10–14 digits, single spaces or dashes allowed between digits ("2 1234 5678 9012",
# "12345-67890"); no leading 0, so Finnish phone numbers (040 123 4567, 09 310 85000) stay.
DEFAULT_CARD_PATTERNS: tuple[str, ...] = (r"[1-9](?:[ -]?[0-9]){9,13}",)

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "fi": {"card": "[kortti]", "hetu": "[hetu]", "pin": "[PIN]"},
    "sv": {"card": "[kort]", "hetu": "[hetu]", "pin": "[PIN]"},
    "en": {"card": "[card]", "hetu": "[hetu]", "pin": "[PIN]"},
}

_LETTERS = r"[^\W\d_]*"
# Endings of "PIN" as a word of its own: Finnish cases and possessives (PINin, PINini,
# PIN:iä), Swedish definite forms (PINen) and English (PINs, PIN's).
_PIN_ENDINGS = r"(?:[:'’]?(?:i(?:n|ä|a|lle|llä|ltä|ksi|ssä|stä|in|ni|si|nsa|mme|nne)|ien|ejä|en|et|s))?"
# Words next to which a 4–8 digit number is a PIN; Finnish, Swedish and English, inflected.
PIN_WORDS = (
    r"(?<!\w)(?:"
    rf"pin[- ]?(?:koodi|koode|kod|luku|luvu|numero|number|code){_LETTERS}"
    rf"|pin{_PIN_ENDINGS}(?:[:'’]{_LETTERS})?(?!\w)"
    rf"|tunnuslu(?:ku|vu){_LETTERS}|salasan{_LETTERS}|koodi{_LETTERS}|kod(?:en)?(?!\w)"
    rf"|password{_LETTERS}|passcode{_LETTERS}|lösenord{_LETTERS}"
    r")"
)
# Between the word and the number: no digits, no brackets, no sentence or clause end.
_GAP = r"[^0-9\n.!?,;\[\]]"
_PIN_BEFORE = re.compile(PIN_WORDS + _GAP + r"{0,30}$", re.IGNORECASE)
_PIN_AFTER = re.compile(_GAP + r"{0,10}?" + PIN_WORDS, re.IGNORECASE)
# A PIN as typed: 4–8 digits in a row, or one digit at a time ("1 2 3 4", "1-2-3-4"), or
# two pairs ("12 34"); never part of a date, time, price or longer number.
_PIN_NUMBER = re.compile(
    r"(?<![\w.,])(?<![0-9][ -])(?:[0-9]{4,8}|[0-9](?:([ -])[0-9])(?:\1[0-9]){2,6}|[0-9]{2} [0-9]{2})"
    r"(?!\w|[.,][0-9]|[ -][0-9])"
)

# Words for a library card (kortti, kortin numero, lånekort, bibliotekskortet, card number,
# barcode …): a shorter number (5–9 digits) next to one is a card number too.
CARD_WORDS = r"(?:\w*kort\w*|\w*card\w*|barcode\w*|viivakoodi\w*|streckkod\w*)"
_CARD_GAP = r"(?:[^0-9\n.!?,;\[\]]|(?<=no)\.|(?<=nr)\.)"
_CARD_BEFORE = re.compile(r"(?<!\w)" + CARD_WORDS + _CARD_GAP + r"{0,30}$", re.IGNORECASE)
_CARD_AFTER = re.compile(_CARD_GAP + r"{0,12}?" + CARD_WORDS, re.IGNORECASE)
# Spaces only between digits (a dash makes dates: 2027-12); no leading 0 (phone numbers).
_SHORT_CARD = re.compile(r"(?<![\w+.,])(?<![0-9][ -])[1-9](?: ?[0-9]){4,8}(?!\w|[.,][0-9]|[ -][0-9])")

_PHONE_PREFIX = re.compile(r"(?:\+|00)358[ -]?(?:\(0\)[ -]?)?$")
_ISBN_BEFORE = re.compile(r"ISBN(?:-1[03])?:?[ ]*$", re.IGNORECASE)
_ISBN10_SHAPE = re.compile(r"[0-9]{1,5}-[0-9]{1,7}-[0-9]{1,7}-[0-9]")


class PatternError(ValueError):
    """A card pattern does not compile or matches empty text."""


@lru_cache(maxsize=32)
def compile_card_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Compile card patterns to match whole tokens only; raise PatternError naming a bad one."""
    compiled = []
    for p in patterns:
        try:
            rx = re.compile(rf"(?<![\w+])(?:{p})(?!\w)")
        except re.error as e:
            raise PatternError(f"card pattern {p!r} is not a valid regular expression: {e}") from e
        if re.fullmatch(rf"(?:{p})", "") is not None:
            raise PatternError(f"card pattern {p!r} matches empty text; give at least one digit")
        compiled.append(rx)
    return tuple(compiled)


def masker(card_patterns: Sequence[str] = DEFAULT_CARD_PATTERNS) -> Callable[[str, str], str]:
    """(text, lang) → the text with card numbers, hetu and PINs replaced (what the stores apply)."""
    return lambda text, lang: redact(text, card_patterns=card_patterns, lang=lang)


def redact(text: str, *, card_patterns: Sequence[str] = DEFAULT_CARD_PATTERNS, lang: str = "fi") -> str:
    """Replace card numbers, valid henkilötunnus and PIN codes in `text` with placeholders."""
    marks = PLACEHOLDERS.get(lang, PLACEHOLDERS["fi"])
    text = HETU_RE.sub(lambda m: marks["hetu"] if is_valid_hetu(*m.groups()) else m.group(), text)
    for rx in compile_card_patterns(tuple(card_patterns)):
        text = rx.sub(lambda m: m.group() if _not_a_card(m) else marks["card"], text)
    text = _SHORT_CARD.sub(lambda m: marks["card"] if _near_card_word(m) else m.group(), text)
    return _PIN_NUMBER.sub(lambda m: marks["pin"] if _near_pin_word(m) else m.group(), text)


def _not_a_card(m: re.Match[str]) -> bool:
    """International phone numbers and ISBNs look like card numbers but are not."""
    before = m.string[max(0, m.start() - 12) : m.start()]
    if _PHONE_PREFIX.search(before) or _ISBN_BEFORE.search(before):
        return True
    digits = re.sub(r"[^0-9]", "", m.group())
    if len(digits) == 13 and digits[:3] in ("978", "979"):
        return _ean13_ok(digits)
    return len(digits) == 10 and bool(_ISBN10_SHAPE.fullmatch(m.group())) and _isbn10_ok(digits)


def _ean13_ok(digits: str) -> bool:
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0


def _isbn10_ok(digits: str) -> bool:
    return sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11 == 0


def _near_pin_word(m: re.Match[str]) -> bool:
    s = m.string
    return bool(
        _PIN_BEFORE.search(s, max(0, m.start() - 80), m.start()) or _PIN_AFTER.match(s, m.end(), m.end() + 60)
    )


def _near_card_word(m: re.Match[str]) -> bool:
    s = m.string
    return bool(
        _CARD_BEFORE.search(s, max(0, m.start() - 80), m.start())
        or _CARD_AFTER.match(s, m.end(), m.end() + 60)
    )
