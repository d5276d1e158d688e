"""The examples in docs/rota.md are valid."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from rota import parse_roster
from rota.decide import hours_text
from rota.weights import parse_weights

DOC = Path(__file__).parents[2] / "docs" / "rota.md"


def yaml_blocks() -> list[str]:
    """The YAML code blocks of the user documentation."""
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_documented_roster_is_valid():
    roster = parse_roster(yaml_blocks()[0], source="docs/rota.md")
    assert roster.desks_of("pool-1") == ("akaa@chat.example", "ikaalinen@chat.example")
    assert hours_text(roster, "en") == "Mon–Fri 10:00–16:00, Sat 10:00–12:00 and 13:00–15:00"


def test_the_documented_weights_file_is_valid():
    block = next(b for b in yaml_blocks() if "slot_hours" in yaml.safe_load(b))
    weights = parse_weights(block)
    assert [s.id for s in weights.shares] == ["tampere", "nokia", "akaa"]


def test_datetime_text_in_each_language_and_the_roster_zone() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from rota.text import clock_text, date_text, datetime_text

    helsinki = ZoneInfo("Europe/Helsinki")
    moment = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 10.30 in Helsinki (UTC+2)
    assert datetime_text(moment, "fi", helsinki) == "23.11.2026 klo 10.30"
    assert datetime_text(moment, "sv", helsinki) == "23.11.2026 kl. 10.30"
    assert datetime_text(moment, "en", helsinki) == "23 Nov 2026, 10:30"
    assert date_text(datetime(2026, 12, 31, 22, 30, tzinfo=UTC), "fi", helsinki) == "1.1.2027"
    assert clock_text(datetime(2026, 7, 1, 9, 5, tzinfo=UTC), "en", helsinki) == "12:05"  # summer: UTC+3
