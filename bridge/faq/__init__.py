"""Automatic answers (faq.yaml) and canned answers for librarians (canned.yaml)."""

from bridge.faq.base import HYBRID, LEXICAL, MATCHERS, FaqBase, from_entries
from bridge.faq.canned import CannedAnswer, find_canned, load_canned, parse_canned
from bridge.faq.errors import FaqError
from bridge.faq.loader import load_faq, parse_faq
from bridge.faq.matcher import MatchSettings
from bridge.faq.model import Fact, FaqEntry, FaqMatch, Kind, Link

__all__ = [
    "HYBRID",
    "LEXICAL",
    "MATCHERS",
    "CannedAnswer",
    "Fact",
    "FaqBase",
    "FaqEntry",
    "FaqError",
    "FaqMatch",
    "Kind",
    "Link",
    "MatchSettings",
    "find_canned",
    "from_entries",
    "load_canned",
    "load_faq",
    "parse_canned",
    "parse_faq",
]
