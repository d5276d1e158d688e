"""Errors of the bridge."""


class BridgeError(Exception):
    """Base of the bridge's own errors."""


class ConfigError(BridgeError):
    """The configuration file is wrong; the message says where and what would work."""


class StoreError(BridgeError):
    """The database refused a write or a read."""


class CommandError(BridgeError):
    """A desk's command cannot be done; the message says what would work."""
