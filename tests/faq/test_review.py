"""Learning from the desk: examples marked with /faq ENTRY, reviewed into faq.yaml in place."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.faq import FaqError, load_faq, parse_faq
from bridge.faq.learn import example_statements, open_suggestions
from bridge.faq.yamledit import add_example
from bridge.store import Store
from tests.faq.conftest import PIKI_FAQ, ROOT, SMALL

FLOW_AND_BLOCK = """\
# Our FAQ: the comments stay.
- id: hours   # opening hours
  questions: {fi: ["Milloin kirjasto on auki?"], en: ["When is the library open?"]}
  answer: {fi: "Katso sivulta.", en: "See the page."}

- id: renew
  questions:
    fi:
      - "Miten uusin lainani?"   # the first one
      - lainojen uusiminen
    # Swedish later
  answer: {fi: "Omilla sivuilla.", en: "On My pages."}
"""


@pytest.mark.parametrize(
    ("entry", "lang", "question"),
    [
        ("hours", "fi", "onko kirjasto avoinna sunnuntaina"),  # into a flow list
        ("hours", "sv", "När är biblioteket öppet?"),  # a new language in a flow mapping
        ("renew", "fi", 'voinko "jatkaa" lainoja'),  # into a block list, with quotes
        ("renew", "en", "can I make my books last longer"),  # a new language in a block mapping
    ],
)
def test_add_example_keeps_everything_else(entry: str, lang: str, question: str) -> None:
    edited = add_example(FLOW_AND_BLOCK, entry, lang, question)
    faq = parse_faq(edited, matcher="lexical")
    got = faq.get(entry)
    assert got is not None and got.questions[lang][-1] == question
    before = parse_faq(FLOW_AND_BLOCK, matcher="lexical")
    for other in before:
        if other.id != entry:
            assert faq.get(other.id) == other
    # only lines were added: every original line is still there, in order
    lines = iter(edited.splitlines())
    for line in FLOW_AND_BLOCK.splitlines():
        if line.strip().startswith(("questions:", f"{lang}:")) and "[" in line:
            continue  # the flow line that got the question
        assert any(line == candidate for candidate in lines), line
    assert "# Swedish later" in edited and "# the first one" in edited


def test_add_example_to_the_piki_faq_changes_one_line() -> None:
    text = PIKI_FAQ.read_text(encoding="utf-8")
    edited = add_example(text, "renew", "fi", "voinko pidentää laina-aikaa")
    assert len(edited.splitlines()) == len(text.splitlines()) + 1
    assert set(text.splitlines()) <= set(edited.splitlines())


def test_unknown_entry_is_refused() -> None:
    with pytest.raises(FaqError, match="no entry 'nope'"):
        add_example(SMALL, "nope", "fi", "kysymys")


async def _database(path: Path) -> None:
    store = await Store.open(path)  # the bridge's own schema; the table is added on first use
    await store.close()


async def test_review_adds_accepted_examples_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "tiski.sqlite3"
    await _database(db)
    faq = tmp_path / "faq.yaml"
    faq.write_text(PIKI_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    with sqlite3.connect(db) as conn:  # what the bridge runs for `/faq renew` in a chat
        for n, (entry, question) in enumerate(
            [
                ("renew", "voinko pidentää laina-aikaa"),
                ("pin-forgotten", "tunnuslukuni unohtui"),
                ("renew", "x"),
            ]
        ):
            for sql, args in example_statements(
                f"p-{n}", entry, "fi", question, "t@x/desk", "2026-12-01T10:00:00Z"
            ):
                conn.execute(sql, args)
    seqs = [s.seq for s in open_suggestions(db)]
    assert len(seqs) == 3

    def review(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bridge.faq", "review", "--faq", str(faq), "--database", str(db)]
        return subprocess.run([*command, *args], cwd=ROOT, input=stdin, capture_output=True, text=True)

    listed = review("--list")
    assert listed.returncode == 0 and "tunnuslukuni unohtui" in listed.stdout and "-> renew" in listed.stdout
    # interactive: yes, yes, no
    done = review(stdin="y\ny\nn\n")
    assert done.returncode == 0, done.stderr
    assert "added 2 example(s)" in done.stdout and "rejected 1" in done.stdout
    after = load_faq(faq, matcher="lexical")
    renew, pin = after.get("renew"), after.get("pin-forgotten")
    assert renew is not None and "voinko pidentää laina-aikaa" in renew.questions["fi"]
    assert pin is not None and "tunnuslukuni unohtui" in pin.questions["fi"]
    assert "x" not in renew.questions["fi"]
    assert faq.read_text(encoding="utf-8").startswith("# PIKI chat: automatic answers")  # comments kept
    assert open_suggestions(db) == []
    assert "no suggestions" in review().stdout


def test_review_of_a_missing_database_says_so(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bridge.faq", "review", "--faq", str(PIKI_FAQ)]
    done = subprocess.run(
        [*command, "--database", str(tmp_path / "none.sqlite3")], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "no such database" in done.stderr
