"""Errors of the automatic answers."""


class FaqError(ValueError):
    """A faq.yaml or canned.yaml file is wrong; the message names the file, entry and field."""
