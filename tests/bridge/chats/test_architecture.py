"""The chat core's rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[3]
LIFE = {
    "state",
    "owner",
    "queued_at",
    "answered_at",
    "ended_at",
    "target",
    "transferred_from",
    "gone_since",
    "kept",
}
TRANSITIONS = ROOT / "bridge" / "chats" / "transitions.py"


def _assigned_attributes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        while targets:
            t = targets.pop()
            if isinstance(t, ast.Tuple | ast.List):
                targets.extend(t.elts)
            elif isinstance(t, ast.Starred):
                targets.append(t.value)
            elif (
                isinstance(t, ast.Attribute)
                and t.attr in LIFE
                and not (isinstance(t.value, ast.Name) and t.value.id == "self")
            ):
                found.append((t.lineno, t.attr))
    return found


def test_only_the_transitions_write_a_chats_life() -> None:
    offenders = []
    for path in sorted((ROOT / "bridge").rglob("*.py")):
        if path == TRANSITIONS:
            continue
        for line, attr in _assigned_attributes(ast.parse(path.read_text(), str(path))):
            offenders.append(f"{path.relative_to(ROOT)}:{line} assigns .{attr}")
    assert offenders == [], "only bridge/chats/transitions.py may write these:\n" + "\n".join(offenders)


def test_the_check_finds_a_write() -> None:
    tree = ast.parse("chat.state = 1\nc.owner, x = 2, 3\nn[c.owner] += 1")
    assert _assigned_attributes(tree) == [(1, "state"), (2, "owner")]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_desk_protocol_module_has_no_io() -> None:
    for path in (ROOT / "deskproto").rglob("*.py"):
        assert _imports(path) <= {"__future__", "enum", "dataclasses", "typing"}, path


def test_bridge_and_console_share_only_the_desk_protocol() -> None:
    for path in (ROOT / "bridge").rglob("*.py"):
        assert "console" not in _imports(path), path
    for path in (ROOT / "console").rglob("*.py"):
        assert "bridge" not in _imports(path), path


def test_the_pure_parts_of_the_core_do_no_io() -> None:
    for name in ("permissions.py", "live.py", "transitions.py"):
        imported = _imports(ROOT / "bridge" / "chats" / name)
        assert not imported & {"aiohttp", "aiosqlite", "sqlite3", "socket"}, name
