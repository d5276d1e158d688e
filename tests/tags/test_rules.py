"""The automatic `interrupted` rule."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tags.rules import DEFAULT_GRACE, PatronLeft, interrupted_check_at, is_interrupted

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GRACE = timedelta(seconds=60)


def after(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.parametrize("state", ["queued", "active"])
def test_disconnect_for_good_is_interrupted_after_grace(state: str) -> None:
    left = PatronLeft(state, T0)
    assert not is_interrupted(left, after(59), grace=GRACE)
    assert is_interrupted(left, after(60), grace=GRACE)
    assert is_interrupted(left, after(3600), grace=GRACE)


@pytest.mark.parametrize("state", ["bot", "closed", "ended"])
def test_leaving_outside_a_waiting_or_active_chat_is_not_interrupted(state: str) -> None:
    assert not is_interrupted(PatronLeft(state, T0), after(3600), grace=GRACE)
    assert not is_interrupted(PatronLeft(state, T0, ended_by_patron=True), after(1), grace=GRACE)
    assert interrupted_check_at(PatronLeft(state, T0)) is None


def test_returning_within_grace_is_not_interrupted() -> None:
    left = PatronLeft("active", T0)
    assert not is_interrupted(left, after(600), grace=GRACE, returned_at=after(30))
    assert not is_interrupted(left, after(600), grace=GRACE, returned_at=after(60))
    assert is_interrupted(left, after(600), grace=GRACE, returned_at=after(61))


def test_librarian_ending_within_grace_is_a_normal_end() -> None:
    left = PatronLeft("active", T0)
    assert not is_interrupted(left, after(600), grace=GRACE, ended_at=after(20))
    assert is_interrupted(left, after(600), grace=GRACE, ended_at=after(90))


def test_patron_ending_while_queued_gave_up_waiting() -> None:
    assert is_interrupted(PatronLeft("queued", T0, ended_by_patron=True), T0, grace=GRACE)
    assert not is_interrupted(PatronLeft("active", T0, ended_by_patron=True), after(999))


def test_check_time() -> None:
    assert interrupted_check_at(PatronLeft("queued", T0), grace=GRACE) == after(60)
    assert interrupted_check_at(PatronLeft("active", T0)) == T0 + DEFAULT_GRACE
    assert interrupted_check_at(PatronLeft("queued", T0, ended_by_patron=True)) == T0


@given(
    state=st.sampled_from(["bot", "queued", "active", "closed", "ended"]),
    ended_by_patron=st.booleans(),
    grace_s=st.integers(0, 3600),
    wait_s=st.integers(0, 7200),
)
def test_verdict_is_final_once_the_check_time_has_come(
    state: str, ended_by_patron: bool, grace_s: int, wait_s: int
) -> None:
    left = PatronLeft(state, T0, ended_by_patron)
    grace = timedelta(seconds=grace_s)
    check = interrupted_check_at(left, grace=grace)
    verdict = is_interrupted(left, after(wait_s), grace=grace)
    if check is None:
        assert not verdict
    elif after(wait_s) >= check:
        assert verdict == is_interrupted(left, check + timedelta(days=1), grace=grace)
    else:
        assert not verdict
