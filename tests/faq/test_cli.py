"""`python -m bridge.faq`: entry id or `none` on the first line, then the score."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bridge.faq.__main__ import main
from tests.faq.conftest import PIKI_FAQ, ROOT


def test_prints_entry_id_then_score(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--faq", str(PIKI_FAQ), "--lang", "fi", "unohdin pin koodin"]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first == "pin-forgotten"
    assert 0.0 < float(second) <= 1.0


def test_prints_none_when_not_confident(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--faq", str(PIKI_FAQ), "--lang", "en", "what's", "the", "weather"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "none"
    assert 0.0 <= float(lines[1]) < 1.0


def test_explain_shows_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--faq", str(PIKI_FAQ), "--lang", "sv", "--explain", "hur förnyar jag lån"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "renew"
    assert "runner-up" in out and "Lån: https://piki.verkkokirjasto.fi/" in out


def test_bad_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "faq.yaml"
    bad.write_text("- {id: a}\n")
    assert main(["--faq", str(bad), "hello"]) == 2
    assert f"{bad}:1: entry 'a'" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bridge.faq", "--faq", str(PIKI_FAQ), "--lang", "fi", "miten varaan kirjan"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.splitlines()[0] == "reserve"
