"""`python -m tags`: tag administration and the report CLI (CONTRACTS §5)."""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tags import load_tags
from tags.cli import main

from .conftest import EXAMPLE
from .store import KNOWN, create

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tags_file(tmp_path: Path) -> Path:
    path = tmp_path / "tags.yaml"
    shutil.copy(EXAMPLE, path)
    return path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return create(tmp_path / "tiski.sqlite3", KNOWN)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys: pytest.CaptureFixture[str], tags_file: Path) -> None:
    code, out, _ = run(capsys, "list", "--tags", str(tags_file), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[3].split() == ["4", "loans", "Loans"]
    assert lines[8].endswith("Interrupted  [auto: interrupted]")


def test_admin_round_trip(capsys: pytest.CaptureFixture[str], tags_file: Path) -> None:
    f = ("--tags", str(tags_file))
    assert run(capsys, "add", *f, "--fi", "E-aineistot", "--en", "E-materials",
               "--before", "other")[0] == 0  # fmt: skip
    assert load_tags(tags_file).number_of("e-materials") == 8
    assert run(capsys, "rename", *f, "lainaus - lainat", "--fi", "Lainat")[0] == 0
    assert load_tags(tags_file).get("loans").names["fi"] == "Lainat"
    assert run(capsys, "move-up", *f, "4")[0] == 0
    assert load_tags(tags_file).number_of("loans") == 3
    assert run(capsys, "move-down", *f, "loans")[0] == 0
    assert run(capsys, "remove", *f, "fees")[0] == 0
    tagset = load_tags(tags_file)
    assert tagset.get("fees").removed and tagset.number_of("fees") is None
    _, out, _ = run(capsys, "list", *f, "--all")
    assert out.splitlines()[-1].split() == ["-", "fees", "Maksut", "ja", "maksaminen", "[removed]"]
    assert run(capsys, "restore", *f, "Maksut ja maksaminen")[0] == 0
    assert load_tags(tags_file).number_of("fees") == 5
    code, out, _ = run(capsys, "check", *f)
    assert code == 0 and "ok, 10 tags (0 removed)" in out
    assert "# Keep each `id` forever" in tags_file.read_text(encoding="utf-8")


def test_errors_go_to_stderr_with_exit_1(capsys: pytest.CaptureFixture[str], tags_file: Path) -> None:
    before = tags_file.read_text(encoding="utf-8")
    code, out, err = run(capsys, "remove", "--tags", str(tags_file), "lainat")
    assert code == 1 and out == ""
    assert err == "error: no tag 'lainat'; did you mean 'Lainaus – lainat' (4)?\n"
    assert run(capsys, "move-up", "--tags", str(tags_file), "login")[0] == 1
    assert run(capsys, "add", "--tags", str(tags_file))[0] == 1
    assert run(capsys, "restore", "--tags", str(tags_file), "nothing")[0] == 1
    assert tags_file.read_text(encoding="utf-8") == before


def test_check_lists_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: a}\n- {id: a, name: {fi: A}}\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 1
    assert f"{path}:1: entry 1 (a): 'name' must map" in err
    code, out, _ = run(capsys, "check", str(EXAMPLE))
    assert code == 0 and out.endswith("ok, 9 tags (0 removed)\n")


def test_add_to_a_new_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    assert run(capsys, "add", "--tags", str(path), "--fi", "Äänikirjat")[0] == 0
    assert load_tags(path).ids == ("aanikirjat",)


def test_report_csv_matches_the_contract(
    capsys: pytest.CaptureFixture[str], database: Path, tags_file: Path
) -> None:
    code, out, _ = run(capsys, "report", "--database", str(database), "--by", "tag", "--csv",
                       "--tags", str(tags_file))  # fmt: skip
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["key", "count"]
    assert rows[1:] == [
        ["login", "1"], ["card", "1"], ["materials", "0"], ["loans", "2"], ["fees", "1"],
        ["reservations", "0"], ["hours", "1"], ["other", "1"], ["interrupted", "1"],
        ["oldtag", "1"], ["(none)", "2"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--by", "weekday"], "mon,1 tue,3 wed,1 thu,3 fri,1 sat,0 sun,0"),
        (["--by", "month"], "2026-09,1 2026-10,1 2026-11,7"),
        (["--by", "library"], "tampere,6 akaa,1 nokia,1 ylojarvi,1"),
        (["--by", "desk", "--from", "2026-11-01", "--to", "2026-11-30"],
         "akaa@chat.example,1 nokia@chat.example,1 tampere@chat.example,1 (none),4"),
        (["--by", "month", "--from", "2026-08", "--to", "2026-10"], "2026-08,0 2026-09,1 2026-10,1"),
        (["--by", "month", "--timezone", "UTC"], "2026-09,2 2026-10,0 2026-11,7"),
        (["--by", "tag", "--from", "2026-10-01", "--to", "2026-10-01"], "card,1"),
    ],
)  # fmt: skip
def test_report_csv_by_key(
    capsys: pytest.CaptureFixture[str], database: Path, args: list[str], expected: str
) -> None:
    code, out, _ = run(capsys, "report", "--database", str(database), "--csv", *args)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "key,count"
    assert " ".join(lines[1:]) == expected


def test_report_by_hour_lists_every_hour(capsys: pytest.CaptureFixture[str], database: Path) -> None:
    _, out, _ = run(capsys, "report", "--database", str(database), "--by", "hour", "--csv")
    rows = dict(line.split(",") for line in out.splitlines()[1:])
    assert list(rows) == [f"{h:02d}" for h in range(24)]
    assert {k: v for k, v in rows.items() if v != "0"} == {
        "00": "2", "10": "2", "11": "1", "12": "1", "13": "1", "14": "1", "16": "1"
    }  # fmt: skip


def test_report_text_and_summary(capsys: pytest.CaptureFixture[str], database: Path, tags_file: Path) -> None:
    code, out, _ = run(capsys, "report", "--database", str(database), "--tags", str(tags_file),
                       "--summary", "--from", "2026-11", "--to", "2026-11")  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == "2026-11 (Europe/Helsinki)"
    figures = dict(line.strip().split("  ", 1) for line in out.splitlines()[1:])
    assert {k: v.strip() for k, v in figures.items()} == {
        "Conversations": "7",
        "Answered": "3 (42.9 %)",
        "Never answered": "4",
        "Left as messages": "2 (28.6 %)",
        "Interrupted": "1",
        "Time to first answer, median": "2 min 00 s",
        "Time to first answer, 90th percentile": "4 min 30 s",
        "Chat length, median": "10 min 00 s",
        "Chat length, 90th percentile": "20 min 00 s",
        "Lines per answered chat, median": "3",
    }
    _, out, _ = run(capsys, "report", "--database", str(database), "--tags", str(tags_file))
    assert out.splitlines()[3].split() == ["loans", "Lainaus", "–", "lainat", "2", "22.2", "%"]


def test_report_errors(capsys: pytest.CaptureFixture[str], database: Path, tmp_path: Path) -> None:
    db = str(database)
    assert run(capsys, "report", "--database", str(tmp_path / "x.db"))[2].startswith("error: ")
    assert "not a date" in run(capsys, "report", "--database", db, "--from", "2026-13")[2]
    assert "is after" in run(capsys, "report", "--database", db, "--from", "2026-11",
                             "--to", "2026-10")[2]  # fmt: skip
    assert "unknown time zone" in run(capsys, "report", "--database", db, "--timezone", "Mars")[2]
    with pytest.raises(SystemExit) as info:
        main(["report", "--database", db, "--by", "colour"])
    assert info.value.code == 2


def test_compare_months_and_survey(
    capsys: pytest.CaptureFixture[str], database: Path, tags_file: Path
) -> None:
    base = ["compare", "--database", str(database), "--tags", str(tags_file), "--month", "2026-11"]
    code, out, _ = run(capsys, *base, "--against", "2026-09", "--csv")
    assert code == 0
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(out))}
    assert rows["key"] == ["count", "share", "other_count", "other_share", "difference_pp"]
    assert rows["loans"] == ["2", "40.0", "0", "0.0", "40.0"]
    assert rows["hours"] == ["0", "0.0", "1", "50.0", "-50.0"]
    assert "interrupted" not in rows
    survey = ROOT / "examples" / "piki" / "survey.yaml"
    code, out, _ = run(capsys, *base, "--survey", str(survey))
    assert code == 0
    assert out.splitlines()[0].startswith("2026-11 compared with Asiakaskysely")
    loans = next(line for line in out.splitlines() if line.startswith("Lainaus"))
    assert "+15.0 pp" in loans and "40.0 %" in loans and "25.0 %" in loans


def test_html_report_written(
    capsys: pytest.CaptureFixture[str], database: Path, tags_file: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "report.html"
    survey = str(ROOT / "examples" / "piki" / "survey.yaml")
    code, out, err = run(capsys, "report", "--database", str(database), "--tags", str(tags_file),
                         "--html", str(out_file), "--survey", survey)  # fmt: skip
    assert code == 0 and out == "" and "wrote" in err
    assert '<h2 id="comparison">' in out_file.read_text(encoding="utf-8")


def test_python_dash_m(database: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tags", "report", "--database", str(database), "--csv"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "key,count"
