"""The export, delete and retention commands: outputs, prompts, exit codes, errors."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from bridge.privacy.cli import main
from bridge.privacy.config import PrivacyConfig, parse_privacy
from bridge.privacy.contacts import contact_matcher, normalise_phone
from bridge.privacy.errors import PrivacyConfigError, QueryError
from tests.privacy import data
from tests.privacy.data import NOW


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return data.build(tmp_path / "tiski.sqlite3", data.ALL)


def run(*argv: str, stdin: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=stdin or io.StringIO(), stdout=out, stderr=err, now=NOW)
    return code, out.getvalue(), err.getvalue()


def ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as c:
        return {r[0] for r in c.execute("SELECT id FROM sessions")}


def test_export_by_phone_finds_contact_fields_and_chat_text_in_any_form(db: Path) -> None:
    code, out, _ = run("export", "--database", str(db), "--contact", "+358 40 123 4567")
    assert code == 0
    doc = json.loads(out)
    assert [c["id"] for c in doc["chats"]] == ["p-left03", "p-k7q2m9"]
    card = doc["chats"][1]
    assert card["tags"] == ["kirjautumisasiat"]
    assert [m["sender"] for m in card["messages"]] == [
        "patron",
        "librarian",
        "patron",
        "note",
        "librarian",
        "patron",
    ]
    assert "seat" not in card["messages"][1]  # staff addresses are not the patron's data
    assert doc["chats"][0]["left_messages"][0]["contact"] == "+358 40 123 4567"


def test_export_by_email_within_dates_and_to_a_private_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "request-2026-11.json"
    code, out, err = run(
        "export",
        "--database",
        str(db),
        "--contact",
        "MAIJA.meikalainen@example.fi",
        "--from",
        "2025-09-01",
        "--to",
        "2025-09-30",
        "--output",
        str(target),
    )
    assert (code, out) == (0, "")
    assert "wrote 1 chat(s)" in err
    assert [c["id"] for c in json.loads(target.read_text())["chats"]] == ["p-old001"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_by_session_id_and_an_unknown_one(db: Path) -> None:
    code, out, _ = run("export", "--database", str(db), "--session", "p-s8v1x4")
    assert code == 0 and json.loads(out)["chats"][0]["lang"] == "sv"
    code, _, err = run("export", "--database", str(db), "--session", "p-nothere")
    assert code == 1 and "--session p-nothere: no such chat" in err


def test_no_match_is_an_empty_export(db: Path) -> None:
    code, out, _ = run("export", "--database", str(db), "--contact", "nobody@example.fi")
    assert code == 0 and json.loads(out)["chats"] == []


def test_delete_with_yes_removes_every_row_of_the_chats(db: Path) -> None:
    code, out, _ = run("delete", "--database", str(db), "--contact", "maija.meikalainen@example.fi", "--yes")
    assert code == 0
    assert "p-old001" in out and "p-old002" in out and "deleted 2 chat(s)" in out
    assert ids(db) == {c.id for c in data.ALL} - {"p-old001", "p-old002"}
    with sqlite3.connect(db) as c:
        for table in ("messages", "events", "chat_tags", "left_messages"):
            assert c.execute(f"SELECT COUNT(*) FROM {table} WHERE session_id LIKE 'p-old%'").fetchone() == (
                0,
            )


def test_delete_asks_at_a_terminal_and_stops_unless_told_yes(db: Path) -> None:
    code, out, _ = run("delete", "--database", str(db), "--session", "p-k7q2m9", stdin=Tty("no\n"))
    assert code == 1 and "p-k7q2m9  2026-11-23" in out and "nothing deleted" in out
    assert "p-k7q2m9" in ids(db)
    code, out, _ = run("delete", "--database", str(db), "--session", "p-k7q2m9", stdin=Tty("yes\n"))
    assert code == 0 and "p-k7q2m9" not in ids(db)


def test_delete_without_a_terminal_needs_yes(db: Path) -> None:
    code, _, err = run("delete", "--database", str(db), "--session", "p-k7q2m9")
    assert code == 1 and "add --yes" in err
    assert "p-k7q2m9" in ids(db)


def test_delete_refuses_a_chat_the_bridge_may_still_serve(db: Path) -> None:
    code, _, err = run("delete", "--database", str(db), "--session", "p-live01", "--yes")
    assert code == 1 and "p-live01: still open in the bridge" in err
    assert "p-live01" in ids(db)


def test_delete_after_retention_also_removes_the_marks(db: Path) -> None:
    assert run("retention", "--database", str(db))[0] == 0
    code, _, _ = run(
        "delete", "--database", str(db), "--session", "p-left03", "--session", "p-old001", "--yes"
    )
    assert code == 0
    with sqlite3.connect(db) as c:
        assert c.execute(
            "SELECT COUNT(*) FROM privacy_marks WHERE session_id IN ('p-left03', 'p-old001')"
        ).fetchone() == (0,)
        assert c.execute("SELECT COUNT(*) FROM privacy_left_marks").fetchone() == (0,)


def test_retention_reads_the_privacy_section_of_the_bridge_config(db: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "bridge.yaml"
    cfg.write_text("database: tiski.sqlite3\nprivacy:\n  retention_days: 3650\n  redact_after_end: false\n")
    code, out, _ = run("retention", "--database", str(db), "--config", str(cfg))
    assert code == 0 and out.startswith("anonymised 0 chat(s)") and "redacted 0 line(s)" in out
    code, out, _ = run("retention", "--database", str(db), "--retention-days", "365")
    assert code == 0 and out.startswith("anonymised 2 chat(s)") and "redacted 4 line(s)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--database", "{db}"], "name the chats: --session"),
        (["export", "--database", "{db}", "--contact", "Maija"], "give an e-mail address"),
        (
            ["export", "--database", "{db}", "--contact", "a@b.fi", "--from", "1.11.2026"],
            "expected a date YYYY-MM-DD",
        ),
        (
            [
                "export",
                "--database",
                "{db}",
                "--contact",
                "a@b.fi",
                "--from",
                "2026-11-02",
                "--to",
                "2026-11-01",
            ],
            "is after --to",
        ),
        (["export", "--database", "{db}", "--contact", "a@b.fi", "--timezone", "Mars/Base"], "unknown"),
        (
            ["export", "--database", "/nonexistent/tiski.sqlite3", "--session", "p-x"],
            "no such database file",
        ),
        (["retention", "--database", "{db}", "--retention-days", "0"], "1 or more"),
    ],
)
def test_errors_name_what_was_wrong(db: Path, argv: list[str], message: str) -> None:
    code, _, err = run(*[a.replace("{db}", str(db)) for a in argv])
    assert code == 1 and message in err and err.startswith("error: ")


def test_phone_and_email_matching() -> None:
    assert normalise_phone("+358 40 123 4567") == normalise_phone("040-1234567") == "0401234567"
    assert normalise_phone("00358 (0)40 123 4567") == "0401234567"
    phone = contact_matcher("040 123 4567")
    assert phone("soita +358401234567") and phone("p. 040-123 4567.") and not phone("040 123 4568")
    mail = contact_matcher("maija@example.fi")
    assert (
        mail("osoite Maija@Example.fi.")
        and not mail("anna.maija@example.fi")
        and not mail("maija@example.fin")
    )
    with pytest.raises(QueryError):
        contact_matcher("12")


def test_privacy_config() -> None:
    assert parse_privacy(None) == PrivacyConfig()
    cfg = parse_privacy(
        {"retention_days": 90, "redact_after_end": False, "card_patterns": [r"[A-Z][0-9]{7}"]}
    )
    assert cfg == PrivacyConfig(90, False, (r"[A-Z][0-9]{7}",))
    for raw, message in [
        ({"retention": 5}, "unknown key(s) retention; known: retention_days"),
        ({"retention_days": "365"}, "privacy.retention_days: expected a whole number"),
        ({"retention_days": 0}, "1 or more, got 0"),
        ({"redact_after_end": "yes"}, "privacy.redact_after_end: expected true or false"),
        ({"card_patterns": r"[0-9]{10}"}, "privacy.card_patterns: expected a list"),
        ({"card_patterns": ["[0-9"]}, "privacy.card_patterns[0]: card pattern '[0-9' is not a valid"),
        (
            {"card_patterns": ["[0-9]{10}", "x?"]},
            "privacy.card_patterns[1]: card pattern 'x?' matches empty",
        ),
        ([1], "privacy: expected a mapping"),
    ]:
        with pytest.raises(PrivacyConfigError, match=re.escape(message)):
            parse_privacy(raw)  # type: ignore[arg-type]
