"""The `privacy:` section of the bridge config, read once into a PrivacyConfig."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bridge.privacy.errors import PrivacyConfigError
from bridge.privacy.redact import DEFAULT_CARD_PATTERNS, PatternError, compile_card_patterns


@dataclass(frozen=True)
class PrivacyConfig:
    """How long chat text is kept and what is redacted when a chat ends."""

    retention_days: int = 365  # text, contact details and page URL go this long after the chat
    redact_after_end: bool = True  # redact card numbers, hetu, PINs once a chat has ended
    card_patterns: tuple[str, ...] = DEFAULT_CARD_PATTERNS  # regexes for library card numbers


_KNOWN = ("retention_days", "redact_after_end", "card_patterns")


def parse_privacy(raw: dict[str, Any] | None) -> PrivacyConfig:
    """Build a PrivacyConfig from the parsed `privacy:` mapping (None or {} gives defaults)."""
    if raw is None:
        return PrivacyConfig()
    if not isinstance(raw, dict):
        raise PrivacyConfigError(f"privacy: expected a mapping of keys, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(_KNOWN))
    if unknown:
        raise PrivacyConfigError(
            f"privacy: unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(_KNOWN)}"
        )
    days = raw.get("retention_days", 365)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise PrivacyConfigError(
            f"privacy.retention_days: expected a whole number of days, 1 or more, got {days!r}"
        )
    redact = raw.get("redact_after_end", True)
    if not isinstance(redact, bool):
        raise PrivacyConfigError(f"privacy.redact_after_end: expected true or false, got {redact!r}")
    return PrivacyConfig(days, redact, _card_patterns(raw.get("card_patterns", DEFAULT_CARD_PATTERNS)))


def _card_patterns(value: Any) -> tuple[str, ...]:
    example = 'e.g. ["[1-9](?:[ -]?[0-9]){9,13}"]'
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise PrivacyConfigError(f"privacy.card_patterns: expected a list of regular expressions, {example}")
    for i, p in enumerate(value):
        if not isinstance(p, str) or not p:
            raise PrivacyConfigError(f"privacy.card_patterns[{i}]: expected a regular expression, got {p!r}")
    patterns = tuple(value)
    for i, p in enumerate(patterns):
        try:
            compile_card_patterns((p,))
        except PatternError as e:
            raise PrivacyConfigError(f"privacy.card_patterns[{i}]: {e}") from e
    return patterns
