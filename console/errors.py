"""Errors of the console."""


class ConsoleError(Exception):
    """Base of the console's own errors."""


class ConfigError(ConsoleError):
    """The configuration file is wrong; the message says where and what would work."""


class NotConnected(ConsoleError):
    """The desk back end is not connected right now; try again after it reconnects."""


class CommandFailed(ConsoleError):
    """The bridge refused a command; the message is the bridge's explanation."""
