"""The `python -m rota` command line: output and exit codes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from rota.cli import main

from .conftest import PIKI, PIKI_WEIGHTS, SMALL

ROOT = Path(__file__).parents[2]


def run(*argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of a rota command run in-process."""
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    """A roster file with three problems."""
    path = tmp_path / "rota.yaml"
    text = SMALL.replace("fallback: [big]", "fallback: [bog]").replace('"13:00-16:00": p', '"14:00-16:00": p')
    path.write_text(text.replace("desks: [b@chat.example]", "desks: [b@chat.example/desk]"), encoding="utf-8")
    return path


def test_check_valid_roster_exits_0():
    status, out, _ = run("check", PIKI)
    assert status == 0
    assert out == f"{PIKI}: OK — 22 libraries, 5 pools, 36 desks, 15 shifts a week\n"


def test_check_invalid_roster_exits_1_listing_every_problem(broken):
    status, out, _ = run("check", broken)
    assert status == 1
    lines = out.splitlines()
    assert (
        lines[0] == f"{broken}:11: libraries.b.desks[0]: 'b@chat.example/desk' is not a bare JID"
        " like name@chat.example (no /resource)"
    )
    assert (
        lines[1] == f"{broken}:15: shifts.mon-fri: mon-fri: nobody on duty 13:00-14:00 (inside service hours)"
    )
    assert lines[-2] == f"{broken}:16: fallback[0]: unknown library or pool 'bog' (known: big, a, b, p)"
    assert lines[-1] == f"{broken}: 3 problems"


def test_check_prints_warnings_but_passes(tmp_path):
    path = tmp_path / "rota.yaml"
    path.write_text(SMALL + "colour: blue\n", encoding="utf-8")
    status, out, _ = run("check", path)
    assert status == 0
    assert out.splitlines()[0].startswith(f"{path}:18: colour: warning: unknown key")


def test_check_missing_file_exits_1(tmp_path):
    status, out, _ = run("check", tmp_path / "nope.yaml")
    assert status == 1 and "cannot read the roster" in out


def test_show_prints_the_weekly_grid():
    status, out, _ = run("show", PIKI)
    assert status == 0
    assert out.splitlines()[:6] == [
        "Service hours: Mon–Fri 10:00–16:00 (Europe/Helsinki)",
        "",
        "             Mon      Tue      Wed      Thu       Fri",
        "───────────  ───────  ───────  ───────  ────────  ─────────",
        "10:00–12:00  Tampere  Tampere  Tampere  Tampere   Tampere",
        "12:00–14:00  Tampere  Nokia    Pool 2   Ylöjärvi  Pool 5",
    ]
    assert "14:00–16:00  Tampere  Pool 1   Pool 3   Pool 4    Kangasala" in out
    assert "  pool-5  Pool 5: Juupajoki, Kihniö, Orivesi, Parkano, Sastamala, Urjala" in out
    assert "Fallback: tampere (Tampere)" in out
    assert "Closed: public holidays (FI), 2026-06-29..2026-07-31" in out


def test_show_expand_lists_pool_members_in_the_grid():
    status, out, _ = run("show", PIKI, "--expand")
    assert status == 0
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("14:00–16:00"))
    assert lines[row].split() == [
        "14:00–16:00",
        "Tampere",
        "Pool",
        "1",
        "Pool",
        "3",
        "Pool",
        "4",
        "Kangasala",
    ]
    assert lines[row + 1].split() == ["·", "Akaa", "·", "Lempäälä", "·", "Valkeakoski"]
    assert lines[row + 2].split() == ["·", "Hämeenkyrö", "·", "Mänttä-Vilppula", "·", "Vesilahti"]


def test_show_markdown_with_ids():
    status, out, _ = run("show", PIKI, "--markdown", "--ids", "--expand")
    assert status == 0
    assert (
        "| 12:00–14:00 | tampere | nokia | pool-2: pirkkala, punkalaidun, ruovesi, palkane | ylojarvi |"
        in out
    )


def test_show_invalid_roster_exits_1_with_problems_on_stderr(broken):
    status, out, err = run("show", broken)
    assert status == 1 and out == ""
    assert "fallback[0]: unknown library or pool 'bog'" in err


@pytest.mark.parametrize(
    ("when", "first"),
    [
        ("2026-03-03T14:30:00+02:00", "pool-1 Pool 1"),
        ("2026-03-03T12:30:00Z", "pool-1 Pool 1"),
        ("2026-03-03T07:30:00-05:00", "pool-1 Pool 1"),
        ("2026-03-03T18:00:00+05:30", "pool-1 Pool 1"),
        ("2026-03-03T14:30", "pool-1 Pool 1"),  # no offset: the roster's time zone
        ("2026-03-02T10:00+02:00", "tampere Tampere"),
    ],
)
def test_now_first_line_is_who_is_on_duty(when, first):
    status, out, _ = run("now", PIKI, "--at", when)
    assert status == 0
    assert out.splitlines()[0] == first


def test_now_fallback_chain_on_later_lines():
    _, out, _ = run("now", PIKI, "--at", "2026-03-03T14:30:00+02:00")
    assert out.splitlines() == ["pool-1 Pool 1", "fallback: tampere Tampere"]


def test_now_with_desks():
    _, out, _ = run("now", PIKI, "--at", "2026-03-04T14:30:00+02:00", "--desks")
    assert out.splitlines()[:4] == [
        "pool-3 Pool 3",
        "  lempaala@chat.piki.example",
        "  mantta-vilppula@chat.piki.example",
        "fallback: tampere Tampere",
    ]
    assert len(out.splitlines()) == 4 + 9


@pytest.mark.parametrize(
    ("when", "line"),
    [
        ("2026-03-06T16:00:00+02:00", "closed — next opening 2026-03-09T10:00:00+02:00 (Mon 9 Mar 10:00)"),
        ("2026-12-24T12:00:00Z", "closed — next opening 2026-12-28T10:00:00+02:00 (Mon 28 Dec 10:00)"),
        ("2026-03-27T20:00:00Z", "closed — next opening 2026-03-30T10:00:00+03:00 (Mon 30 Mar 10:00)"),
    ],
)
def test_now_when_closed(when, line):
    status, out, _ = run("now", PIKI, "--at", when)
    assert status == 0
    assert out.splitlines() == [line]


def test_now_never_open(tmp_path):
    path = tmp_path / "rota.yaml"
    path.write_text("libraries: {x: {desks: [x@c.example]}}\n", encoding="utf-8")
    status, out, err = run("now", path, "--at", "2026-03-02T12:00Z")
    assert status == 0 and out == "closed — no opening scheduled\n"
    assert "no service hours" in err


def test_now_bad_at_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["now", str(PIKI), "--at", "yesterday"])
    assert info.value.code == 2
    assert "not an ISO 8601 date-time" in capsys.readouterr().err


def test_plan_prints_shares_pools_and_a_grid():
    status, out, _ = run("plan", PIKI_WEIGHTS, "--year", "2026")
    assert status == 0
    lines = out.splitlines()
    # The weights file names the roster: its summer break and holidays come off (not 30 × 52).
    assert lines[0] == (
        "Service: 30 h a week in 15 slots of 2 h; 1362 h a year in 2026 "
        f"({PIKI}'s calendar: 34 closed days left out)"
    )
    assert "Tampere             45.0        612.9             6.75  own: 7 slots" in lines
    assert "Nokia                7.0         95.3             1.05  own: 1 slot" in lines
    assert sum(1 for line in lines if line.startswith("  pool-")) == 5
    assert "Proposed weekly grid:" in lines
    assert "10:00–12:00  Tampere  Tampere  Tampere  Tampere   Tampere" in lines


def test_plan_without_a_roster_says_every_week_counts(tmp_path):
    weights = tmp_path / "weights.yaml"
    weights.write_text(PIKI_WEIGHTS.read_text().replace("roster: rota.yaml", ""), encoding="utf-8")
    lines = run("plan", weights)[1].splitlines()
    assert lines[0] == "Service: 30 h a week in 15 slots of 2 h; 1560 h a year (52 weeks)"
    assert lines[1].startswith("Note: every week counted as open")


def test_plan_proposes_no_pool_id_of_the_roster_for_other_members():
    """Issue 18: the proposal named pools pool-1…5, which the roster has with other members."""
    import yaml

    from rota import load_roster

    existing = load_roster(PIKI).pools
    data = yaml.safe_load(run("plan", PIKI_WEIGHTS, "--yaml")[1])
    for pool_id, pool in data["pools"].items():
        assert pool_id not in existing or set(existing[pool_id].members) == set(pool["members"])
    assert set(data["pools"]) & set(existing) == set()  # PIKI's pools differ from the proposal


def test_plan_yaml_is_a_roster_fragment():
    import yaml

    status, out, _ = run("plan", PIKI_WEIGHTS, "--yaml")
    assert status == 0
    data = yaml.safe_load(out)
    assert set(data) == {"pools", "shifts"}
    assert sum(len(day) for day in data["shifts"].values()) == 15
    assert data["shifts"]["mon"]["10:00-12:00"] == "tampere"


def test_plan_slot_hours_option():
    status, out, _ = run("plan", PIKI_WEIGHTS, "--slot-hours", "3", "--weeks", "40")
    assert status == 0
    assert out.splitlines()[0] == "Service: 30 h a week in 10 slots of 3 h; 1200 h a year (40 weeks)"


def test_plan_check_compares_a_roster_with_fair_shares():
    status, out, _ = run("plan", PIKI_WEIGHTS, "--check", PIKI, "--year", "2026")
    assert status == 0
    lines = out.splitlines()
    assert "in 2026 by the roster's calendar, closed days and public holidays left out" in lines[1]
    assert "Tampere             45.0        612.9            638.0       +25.1" in lines
    assert "total              100.0       1362.0           1362.0        +0.0" in lines


def test_plan_check_tolerance_sets_the_exit_status():
    assert run("plan", PIKI_WEIGHTS, "--check", PIKI, "--year", "2026", "--tolerance", "30")[0] == 0
    status, out, _ = run("plan", PIKI_WEIGHTS, "--check", PIKI, "--year", "2026", "--tolerance", "20")
    assert status == 1
    assert out.splitlines()[-1] == "Off by more than 20 h a year: Tampere"


def test_accounts_prints_one_register_line_per_account():
    status, out, _ = run("accounts", PIKI)
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 36 + 1  # 36 desk accounts and the coordinator
    first = lines[0].split()
    assert first[:4] == ["prosodyctl", "register", "tampere", "chat.piki.example"]
    assert len(first[4]) >= 16  # a new random password each
    assert len({line.split()[4] for line in lines}) == len(lines)
    assert lines[-1].split()[2:4] == ["coordinator", "chat.piki.example"]


def test_accounts_only_and_a_custom_prosodyctl(tmp_path):
    status, out, _ = run(
        "accounts",
        PIKI,
        "--only",
        "akaa@chat.piki.example",
        "--prosodyctl",
        "prosodyctl --config /etc/p.cfg.lua",
    )
    assert status == 0
    assert out.split()[:6] == [
        "prosodyctl",
        "--config",
        "/etc/p.cfg.lua",
        "register",
        "akaa",
        "chat.piki.example",
    ]
    status, _, err = run("accounts", PIKI, "--only", "nobody@chat.piki.example")
    assert status == 1 and "nobody@chat.piki.example" in err


def test_accounts_run_reports_what_failed(tmp_path):
    fake = tmp_path / "prosodyctl"
    fake.write_text('#!/bin/sh\n[ "$2" = akaa ] && { echo "User already exists" >&2; exit 1; }\nexit 0\n')
    fake.chmod(0o755)
    status, out, err = run("accounts", PIKI, "--run", "--prosodyctl", str(fake))
    assert status == 1
    assert "akaa@chat.piki.example: User already exists" in err
    rows = dict(line.split("\t") for line in out.splitlines())
    assert len(rows) == 36 and "akaa@chat.piki.example" not in rows and "tampere@chat.piki.example" in rows


def test_plan_bad_weights_exit_1(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("libraries: {a: lots}\nslot_hours: 0\n", encoding="utf-8")
    status, _, err = run("plan", path)
    assert status == 1
    assert f"{path}:1: libraries.a: expected a share in percent" in err
    assert f"{path}:2: slot_hours: expected hours per slot" in err


@pytest.mark.parametrize(
    ("args", "status"), [(["check", str(PIKI)], 0), (["now", str(PIKI)], 0), (["bogus"], 2)]
)
def test_python_dash_m_rota(args, status):
    result = subprocess.run(
        [sys.executable, "-m", "rota", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == status, result.stderr


def test_python_dash_m_rota_check_fails_on_a_broken_file(broken):
    result = subprocess.run(
        [sys.executable, "-m", "rota", "check", str(broken)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "problems" in result.stdout.splitlines()[-1]
