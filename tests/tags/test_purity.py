"""The tag model, rules and statistics stay pure: no I/O frameworks, no database."""

import ast
from pathlib import Path

import pytest

TAGS = Path(__file__).resolve().parents[2] / "tags"
PURE = ["model.py", "matching.py", "rules.py", "stats.py", "compare.py", "period.py", "editing.py"]
FORBIDDEN = {"sqlite3", "aiosqlite", "aiohttp", "slixmpp", "textual", "bridge", "console"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_io(name: str) -> None:
    assert not imported(TAGS / name) & FORBIDDEN


def test_only_db_touches_sqlite() -> None:
    users = {p.name for p in TAGS.glob("*.py") if "sqlite3" in imported(p)}
    assert users == {"db.py"}
