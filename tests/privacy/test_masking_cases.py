"""The committed list of real-looking lines (masking_cases.yaml) against redact()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.privacy.redact import redact

CASES: dict[str, Any] = yaml.safe_load((Path(__file__).with_name("masking_cases.yaml")).read_text())


@pytest.mark.parametrize("case", CASES["masked"], ids=lambda c: c["text"])
def test_personal_data_is_masked(case: dict[str, str]) -> None:
    assert redact(case["text"], lang=case["lang"]) == case["expect"]


@pytest.mark.parametrize("text", CASES["kept"])
def test_prices_dates_isbns_and_library_numbers_survive(text: str) -> None:
    assert redact(text) == text
    assert redact(text, lang="en") == text


def test_the_list_is_not_trivial() -> None:
    assert len(CASES["masked"]) >= 25 and len(CASES["kept"]) >= 25
