"""Tiski's topic tags: the ordered tag set, automatic tagging rules, statistics and reports."""

from tags.errors import ReportError, TagError
from tags.loading import load_tags, parse_tags
from tags.model import Tag, TagSet

__all__ = ["ReportError", "Tag", "TagError", "TagSet", "load_tags", "parse_tags"]
