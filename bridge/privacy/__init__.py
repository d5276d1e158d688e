"""Privacy: redaction of card numbers, hetu and PINs; retention; access and erasure requests."""

from bridge.privacy.config import PrivacyConfig, parse_privacy
from bridge.privacy.redact import DEFAULT_CARD_PATTERNS, redact
from bridge.privacy.retention import RetentionResult, apply_retention

__all__ = [
    "DEFAULT_CARD_PATTERNS",
    "PrivacyConfig",
    "RetentionResult",
    "apply_retention",
    "parse_privacy",
    "redact",
]
