"""Errors of the rota package: a problem list with locations, raised as one RosterError."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or, with warning=True, suspicious) in a roster, with where it is."""

    message: str
    source: str = "rota.yaml"
    path: str = ""
    line: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        kind = "warning: " if self.warning else ""
        path = f"{self.path}: " if self.path else ""
        return f"{where}: {path}{kind}{self.message}"


class RotaError(Exception):
    """Base class of the rota package's errors."""


class RosterError(RotaError):
    """A roster could not be read; `problems` names every error found, each with its location."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in roster"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class PlanError(RotaError):
    """A weights file for `rota plan` could not be read; `problems` lists why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
