"""The statistics screen and alerts that are not missed (repeats with a fake clock, quiet mode)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from console.alerts import level, rings_due
from console.charts import bar, chart_rows, duration, period_bounds
from console.config import AlertSettings
from console.screens.stats import StatsScreen
from console.widgets.chat_list import ChatList
from console.widgets.panels import StatusBar

from .helpers import static_text

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# -- pure helpers -------------------------------------------------------------------------


def test_repeats_escalate_down_to_the_shortest_interval() -> None:
    s = AlertSettings(repeat_seconds=60, min_repeat_seconds=15)
    # rings at 60, 90 (+30), 105 (+15), 120, 135, …
    assert [rings_due(t, s) for t in (0, 59, 60, 89, 90, 104, 105, 119, 120, 135)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        5,
    ]
    steady = AlertSettings(repeat_seconds=60, escalate=False)
    assert [rings_due(t, steady) for t in (59, 60, 119, 120, 300)] == [0, 1, 1, 2, 5]
    assert rings_due(10_000, AlertSettings(repeat_seconds=0)) == 0
    assert [level(n) for n in (0, 1, 2, 3, 9)] == [0, 1, 2, 3, 3]


def test_bars_periods_and_durations() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 10, 4) == "▍"  # 3.2 eighths → 3
    assert bar(0, 10, 4) == "" and bar(3, 0, 4) == ""
    assert chart_rows([("a", 2), ("b", 1)], 2) == [("a", "██", 2), ("b", "█", 1)]
    assert period_bounds("month", date(2026, 1, 15)) == ("2026-01", "2026-01")
    assert period_bounds("last", date(2026, 1, 15)) == ("2025-12", "2025-12")
    assert period_bounds("last", date(2026, 11, 3)) == ("2026-10", "2026-10")
    assert period_bounds("all", date(2026, 11, 3)) == ("", "")
    assert [duration(x) for x in (None, 35, 140, 3725)] == ["–", "35 s", "2 min 20 s", "1 h 02 min"]


# -- statistics screen ----------------------------------------------------------------------


async def test_stats_shows_headline_and_charts_for_the_desk(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("alt+g")
        await pilot.pause(0.3)
        assert isinstance(app.screen, StatsScreen)
        month = datetime.now().astimezone().strftime("%Y-%m")
        assert ("stats", ("desk", month, month)) in fake.calls
        title = static_text(app, "#stats-title")
        assert "my desk" in title and f"this month ({month})" in title
        body = static_text(app, "#stats-body")
        for expected in (
            "Conversations",
            "42",
            "Answered",
            "38  (90 %)",
            "Left a message",
            "Interrupted",
            "Wait, median",
            "35 s",
            "Wait, 90th percentile",
            "2 min 20 s",
        ):
            assert expected in body
        loans = next(line for line in body.splitlines() if "Loans" in line)
        assert loans.rstrip().endswith("█ 12") and "(no tag)" in body
        assert "Mon" in body and "Sun" in body

        await pilot.press("a")
        await pilot.pause(0.3)
        assert ("stats", ("desk", "", "")) in fake.calls
        await pilot.press("l")
        await pilot.pause(0.3)
        assert fake.calls[-1][0] == "stats" and fake.calls[-1][1][1] < month


async def test_service_scope_refused_for_a_desk_is_a_clear_message(make_app, fake):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause(0.3)
        await pilot.press("s")
        await pilot.pause(0.3)
        body = static_text(app, "#stats-body")
        assert "The bridge does not show these figures" in body
        assert "Only the roster's coordinators may see service-wide figures" in body
        assert "D shows your own desk's figures" in body
        await pilot.press("d")
        await pilot.pause(0.3)
        assert "Conversations" in static_text(app, "#stats-body")


async def test_coordinators_see_the_whole_service(make_app, fake):
    fake.coordinator = True
    app = make_app(lang="fi")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("alt+g")
        await pilot.pause(0.3)
        await pilot.press("s")
        await pilot.pause(0.3)
        assert "koko palvelu" in static_text(app, "#stats-title")
        body = static_text(app, "#stats-body")
        assert "Keskusteluja" in body and "310" in body and "ma" in body


# -- alerts ---------------------------------------------------------------------------------


async def test_waiting_chat_rings_again_sooner_and_sooner_until_claimed(make_app, fake):
    clock = Clock(T0)
    fake.clock = clock
    app = make_app(alerts=AlertSettings(repeat_seconds=60, min_repeat_seconds=15), clock=clock)
    rings = []
    app.bell = lambda: rings.append(clock.now)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        assert len(rings) == 1  # the new chat
        chats, status = app.query_one(ChatList), app.query_one(StatusBar)
        for seconds, expected in ((59, 1), (1, 2), (29, 2), (1, 3), (15, 4), (15, 5)):
            clock.advance(seconds)
            app.tick()
            await pilot.pause()
            assert len(rings) == expected, (clock.now - T0, rings)
        assert [int((r - T0).total_seconds()) for r in rings] == [0, 60, 90, 105, 120]
        assert chats.has_class("-waiting-3") and status.has_class("-waiting-3")
        assert "still waiting" in " ".join(n.message for n in app._notifications)

        await pilot.press("f2")  # claimed: quiet again, highlight gone
        await pilot.pause()
        clock.advance(300)
        app.tick()
        await pilot.pause()
        assert len(rings) == 5
        assert not any(chats.has_class(f"-waiting-{n}") for n in (1, 2, 3))


async def test_highlight_grows_with_each_repeat(make_app, fake):
    clock = Clock(T0)
    fake.clock = clock
    app = make_app(alerts=AlertSettings(repeat_seconds=30, escalate=False), clock=clock)
    app.bell = lambda: None
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        chats = app.query_one(ChatList)
        levels = []
        for _ in range(4):
            clock.advance(30)
            app.tick()
            await pilot.pause()
            levels.append(next((n for n in (1, 2, 3) if chats.has_class(f"-waiting-{n}")), 0))
        assert levels == [1, 2, 3, 3]


async def test_quiet_mode_from_config_and_key(make_app, fake):
    clock = Clock(T0)
    fake.clock = clock
    app = make_app(alerts=AlertSettings(repeat_seconds=30, quiet=True), clock=clock)
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        assert "quiet" in static_text(app, "#status")
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert rings == []
        assert app.query_one(ChatList).has_class("-waiting-1")  # still highlighted
        await pilot.press("alt+m")
        await pilot.pause()
        assert "quiet" not in static_text(app, "#status")
        clock.advance(30)
        app.tick()
        await pilot.pause()
        assert rings == [1]
        await pilot.press("alt+m")
        fake.leave_message("Viesti", "")
        await pilot.pause(0.2)
        assert rings == [1]  # follow-up notices are quiet too
        assert "quiet" in static_text(app, "#status")


async def test_no_repeat_for_a_chat_the_patron_left_a_message_in(make_app, fake):
    from dataclasses import replace

    from console.backend import ChatStateName

    clock = Clock(T0)
    fake.clock = clock
    app = make_app(alerts=AlertSettings(repeat_seconds=30), clock=clock)
    rings = []
    app.bell = lambda: rings.append(1)
    async with app.run_test(size=(120, 36)) as pilot:
        fake.offer("p-aaaa", "Hei")
        await pilot.pause()
        chat = app.book.chats["p-aaaa"]
        chat.meta = replace(chat.meta, state=ChatStateName.CLOSED)  # the patron left a message
        clock.advance(120)
        app.tick()
        await pilot.pause()
        assert rings == [1]
