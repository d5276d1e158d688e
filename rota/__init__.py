"""The duty roster: who answers the chat when, and which desks to offer a chat to."""

from rota.errors import PlanError, Problem, RosterError, RotaError
from rota.load import check_roster, load_roster, parse_roster
from rota.model import DateRange, Library, Pool, Roster, Slot

__all__ = [
    "DateRange",
    "Library",
    "PlanError",
    "Pool",
    "Problem",
    "Roster",
    "RosterError",
    "RotaError",
    "Slot",
    "check_roster",
    "load_roster",
    "parse_roster",
]
