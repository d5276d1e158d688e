"""Shared fixtures for the tags tests."""

from pathlib import Path

import pytest

from tags import TagSet, load_tags

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "piki" / "tags.yaml"


@pytest.fixture
def piki() -> TagSet:
    """The PIKI example tag set."""
    return load_tags(EXAMPLE)
