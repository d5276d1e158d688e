"""The example roster loads and answers the basic questions."""

from datetime import datetime
from pathlib import Path

from rota import load_roster
from rota.decide import chain, hours_text, is_open, on_duty, route

PIKI = Path(__file__).parents[2] / "examples" / "piki" / "rota.yaml"


def test_piki_roster_loads():
    roster = load_roster(PIKI)
    assert len(roster.libraries) == 22
    assert len(roster.pools) == 5
    assert len(roster.all_desks) == 36


def test_piki_tuesday_afternoon_is_pool_1():
    roster = load_roster(PIKI)
    at = datetime.fromisoformat("2026-03-03T14:30:00+02:00")
    assert is_open(roster, at)
    assert on_duty(roster, at) == "pool-1"
    assert chain(roster, at) == ("pool-1", "tampere")
    decision = route(roster, at, {"akaa@chat.localhost", "tampere@chat.localhost"})
    assert decision.desks == ("akaa@chat.localhost", "tampere@chat.localhost")
    assert hours_text(roster, "fi") == "ma–pe 10.00–16.00"
