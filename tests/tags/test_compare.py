"""Tag shares against another month or a survey."""

from pathlib import Path

import pytest

from tags import ReportError, TagSet
from tags.compare import Survey, compare, load_survey, parse_survey

ROOT = Path(__file__).resolve().parents[2]


def test_example_survey_loads_against_the_example_tags(piki: TagSet) -> None:
    survey = load_survey(ROOT / "examples" / "piki" / "survey.yaml", piki)
    assert survey.title.startswith("Asiakaskysely")
    assert sum(survey.shares.values()) == pytest.approx(1)
    assert survey.shares["loans"] == pytest.approx(0.25)


def test_counts_are_scaled_to_shares() -> None:
    survey = parse_survey("shares: {a: 3, b: 1}")
    assert survey.shares == {"a": 0.75, "b": 0.25}
    assert survey.title == "survey"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "needs a `shares` mapping"),
        ("shares: {loans: -1}", "must be a number ≥ 0"),
        ("shares: {loans: lots}", "must be a number ≥ 0"),
        ("shares: {loans: true}", "must be a number ≥ 0"),
        ("shares: {loans: 0}", "must not all be zero"),
        ("shares: {lons: 3}", "'lons' is not a tag id"),
        ("shares: {a: [}", "not valid YAML"),
    ],
)
def test_survey_errors_name_the_file(piki: TagSet, text: str, message: str) -> None:
    with pytest.raises(ReportError, match="s.yaml: .*" + message):
        parse_survey(text, "s.yaml", piki)


def test_missing_survey_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="cannot read the survey"):
        load_survey(tmp_path / "none.yaml")


def test_compare_months_leaves_out_auto_tags_and_untagged(piki: TagSet) -> None:
    rows = compare(
        {"loans": 3, "login": 1, "interrupted": 5, "(none)": 9},
        {"loans": 1, "fees": 1, "gone": 2},
        piki,
    )
    ids = [r.tag_id for r in rows]
    assert ids[:8] == ["login", "card", "materials", "loans", "fees", "reservations", "hours", "other"]
    assert ids[8:] == ["gone"]
    by_id = {r.tag_id: r for r in rows}
    assert by_id["loans"].share == 0.75 and by_id["loans"].other_share == 0.25
    assert by_id["loans"].difference == pytest.approx(50)
    assert by_id["gone"].count == 0 and by_id["gone"].other_count == 2
    assert sum(r.share or 0 for r in rows) == pytest.approx(1)


def test_compare_with_survey_has_no_other_counts(piki: TagSet) -> None:
    rows = compare({"loans": 1}, Survey("S", {"loans": 0.5, "login": 0.5}), piki)
    assert all(r.other_count is None for r in rows)
    assert {r.tag_id: r.difference for r in rows if r.difference}["loans"] == pytest.approx(50)


def test_compare_with_nothing() -> None:
    rows = compare({}, {"a": 0})
    assert rows == ()
    rows = compare({"a": 0}, {"a": 1})
    assert rows[0].share is None and rows[0].difference is None
