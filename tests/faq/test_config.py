"""`faq:` in the bridge's configuration: a file, or {file, matcher, cache}."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge.config import parse_config
from bridge.errors import ConfigError

BASE = {"xmpp": {"component": "c.example", "secret": "s"}, "database": "db", "rota": "r"}


def test_a_bare_file_is_hybrid(tmp_path: Path) -> None:
    cfg = parse_config({**BASE, "faq": "faq.yaml"}, tmp_path)
    assert cfg.faq == tmp_path / "faq.yaml" and cfg.faq_matcher == "hybrid" and cfg.faq_cache is None


def test_matcher_and_cache(tmp_path: Path) -> None:
    raw = {**BASE, "faq": {"file": "faq.yaml", "matcher": "lexical", "cache": "var/vectors"}}
    cfg = parse_config(raw, tmp_path)
    assert cfg.faq == tmp_path / "faq.yaml"
    assert cfg.faq_matcher == "lexical" and cfg.faq_cache == tmp_path / "var" / "vectors"


@pytest.mark.parametrize(
    ("faq", "words"),
    [
        ({"file": "faq.yaml", "matcher": "neural"}, "faq.matcher"),
        ({"file": "faq.yaml", "model": "x"}, "unknown key(s) model"),
        ({"matcher": "hybrid"}, "faq.file"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, faq: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        parse_config({**BASE, "faq": faq}, tmp_path)
