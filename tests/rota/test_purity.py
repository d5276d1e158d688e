"""The roster model and the decision code do no I/O and import no server or UI library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rota

PURE = ["clock", "decide", "errors", "grid", "model", "plan", "report", "text", "validate"]
BANNED = {
    "aiohttp",
    "aiosqlite",
    "asyncio",
    "io",
    "os",
    "pathlib",
    "shutil",
    "slixmpp",
    "socket",
    "sqlite3",
    "subprocess",
    "sys",
    "textual",
    "yaml",
}


@pytest.mark.parametrize("name", PURE)
def test_pure_module_has_no_io(name):
    tree = ast.parse((Path(rota.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]}
        else:
            roots = set()
        assert not roots & BANNED, f"rota/{name}.py imports {roots & BANNED}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"open", "print", "input"}, f"rota/{name}.py calls {node.func.id}()"
