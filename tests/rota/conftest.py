"""Shared roster texts and fixtures for the rota tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from rota import Roster, load_roster

PIKI = Path(__file__).parents[2] / "examples" / "piki" / "rota.yaml"
PIKI_WEIGHTS = PIKI.with_name("weights.yaml")

SMALL = """\
timezone: Europe/Helsinki
hours:
  mon-fri: "10:00-16:00"
public_holidays: FI
closed:
  - 2026-06-29..2026-07-31
  - 2026-02-13
libraries:
  big: {name: Big, desks: [big@chat.example, big-2@chat.example], url: "https://big.example"}
  a: {name: A, desks: [a@chat.example], phone: "040 1"}
  b: {name: B, desks: [b@chat.example]}
pools:
  p: {name: Pool P, members: [a, b]}
shifts:
  mon-fri: {"10:00-13:00": big, "13:00-16:00": p}
fallback: [big]
coordinators: [boss@chat.example]
"""


@pytest.fixture(scope="session")
def piki() -> Roster:
    """The PIKI example roster."""
    return load_roster(PIKI)


@pytest.fixture()
def small() -> Roster:
    """A small roster: one big library, a pool of two, Mon–Fri 10–16."""
    from rota import parse_roster

    return parse_roster(SMALL)
