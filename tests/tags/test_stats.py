"""Pure statistics: percentiles, counts by key, the summary, with hand-made conversations."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tags import parse_tags
from tags.stats import (
    NONE_KEY,
    Conversation,
    count_by,
    keys_of,
    median,
    percentile,
    summarize,
    weekday_hour,
)

HEL = ZoneInfo("Europe/Helsinki")
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # Mon 10:00 in Helsinki


def conv(n: int, **kw: object) -> Conversation:
    return Conversation(id=f"c{n}", started=kw.pop("started", T0), library="x", **kw)  # type: ignore[arg-type]


def test_median_and_nearest_rank_percentile() -> None:
    assert median([]) is None and percentile([], 90) is None
    assert median([5]) == 5 and percentile([5], 90) == 5
    assert median([4, 1, 3, 2]) == 2.5
    values = list(range(1, 11))  # 1 … 10
    assert percentile(values, 90) == 9
    assert percentile(values, 91) == 10
    assert percentile(values, 50) == 5
    assert percentile([30, 60, 90, 120, 270], 90) == 270


def test_wait_and_length() -> None:
    c = conv(1, queued_at=T0, answered_at=T0 + timedelta(seconds=75),
             ended_at=T0 + timedelta(minutes=11, seconds=15))  # fmt: skip
    assert c.answered and c.wait_seconds == 75 and c.length_seconds == 600
    assert conv(2).wait_seconds is None and conv(2).length_seconds is None
    backwards = conv(3, queued_at=T0 + timedelta(seconds=9), answered_at=T0)
    assert backwards.wait_seconds is None


def test_summary_counts_answered_and_unanswered_separately() -> None:
    convs = [
        conv(1, queued_at=T0, answered_at=T0 + timedelta(seconds=60), lines=4),
        conv(2, queued_at=T0, answered_at=T0 + timedelta(seconds=120), lines=2),
        conv(3, left_message=True),
        conv(4, tags=("interrupted",)),
    ]
    s = summarize(convs)
    assert (s.conversations, s.answered, s.unanswered) == (4, 2, 2)
    assert (s.left_message, s.interrupted) == (1, 1)
    assert s.share_answered == 0.5 and s.share_left_message == 0.25
    assert (s.wait_median, s.wait_p90) == (90, 120)
    assert s.lines_median == 3
    assert s.length_median is None
    empty = summarize([])
    assert empty.share_answered is None and empty.wait_median is None


def test_keys_are_local_time() -> None:
    late = conv(1, started=datetime(2026, 9, 30, 21, 30, tzinfo=UTC))  # Thu 1 Oct 00:30 EEST
    assert keys_of(late, "weekday", HEL) == ("thu",)
    assert keys_of(late, "hour", HEL) == ("00",)
    assert keys_of(late, "month", HEL) == ("2026-10",)
    assert keys_of(late, "month", ZoneInfo("UTC")) == ("2026-09",)
    assert keys_of(late, "desk", HEL) == (NONE_KEY,)
    assert keys_of(conv(2, tags=("a", "b", "a")), "tag", HEL) == ("a", "b")
    with pytest.raises(ValueError, match="unknown breakdown"):
        keys_of(late, "colour", HEL)


def test_tag_rows_follow_the_tag_file() -> None:
    tagset = parse_tags(
        "- {id: b, name: {fi: B}}\n- {id: a, name: {fi: A}}\n"
        "- {id: gone, name: {fi: G}, removed: true}\n- {id: gone2, name: {fi: H}, removed: true}"
    )
    convs = [conv(1, tags=("a", "gone")), conv(2, tags=("zz",)), conv(3), conv(4, tags=("a",))]
    rows = count_by(convs, "tag", HEL, tagset=tagset)
    assert rows == (("b", 0), ("a", 2), ("gone", 1), ("zz", 1), (NONE_KEY, 1))
    assert count_by(convs, "tag", HEL) == (("a", 2), ("gone", 1), ("zz", 1), (NONE_KEY, 1))


def test_fixed_keys_are_listed_at_zero() -> None:
    rows = count_by([conv(1)], "weekday", HEL)
    assert rows[0] == ("mon", 1) and len(rows) == 7 and sum(n for _, n in rows) == 1
    hours = count_by([conv(1)], "hour", HEL)
    assert len(hours) == 24 and dict(hours)["10"] == 1


def test_months_fill_the_period() -> None:
    convs = [conv(1, started=datetime(2026, 11, 5, tzinfo=UTC))]
    rows = count_by(convs, "month", HEL, first=date(2026, 9, 1), last=date(2027, 1, 31))
    assert rows == (("2026-09", 0), ("2026-10", 0), ("2026-11", 1), ("2026-12", 0), ("2027-01", 0))
    assert count_by([], "month", HEL) == ()


def test_desks_by_count_then_name() -> None:
    convs = [conv(1, desk="b"), conv(2, desk="a"), conv(3, desk="b"), conv(4)]
    assert count_by(convs, "desk", HEL) == (("b", 2), ("a", 1), (NONE_KEY, 1))


def test_weekday_hour_grid() -> None:
    grid = weekday_hour([conv(1), conv(2), conv(3, started=T0 + timedelta(days=1, hours=3))], HEL)
    assert grid[0][10] == 2 and grid[1][13] == 1
    assert sum(map(sum, grid)) == 3
