"""Errors raised by the tags package."""


class TagError(Exception):
    """A tag file, a tag edit or a tag lookup is wrong; the message says what would work."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)


class ReportError(Exception):
    """A report cannot be made: missing database, bad dates, unknown option value."""
