"""Errors of the privacy tools."""

from bridge.errors import BridgeError, ConfigError


class PrivacyError(BridgeError):
    """Base of the privacy tools' own errors; the message says what would work."""


class PrivacyConfigError(PrivacyError, ConfigError):
    """The `privacy:` section of the bridge config is wrong."""


class DatabaseError(PrivacyError):
    """The database is missing, not a Tiski database, or refused a read or write."""


class QueryError(PrivacyError):
    """An export or delete request names no chats, or names them wrongly."""
