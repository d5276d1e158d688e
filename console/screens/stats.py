"""Statistics: the desk's own figures, or the whole service's for coordinators, with bar charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from console.backend import DeskBackend, Stats
from console.charts import chart_rows, duration, period_bounds
from console.errors import CommandFailed, NotConnected
from console.i18n import Texts
from console.text import clean, one_line

BAR_WIDTH = 40
LABEL_WIDTH = 28

Parts = list[str | tuple[str, str]]


def headline(stats: Stats, texts: Texts) -> Parts:
    """The headline figures, one per line."""
    t = texts
    share = f"  ({stats.answered * 100 // stats.conversations} %)" if stats.conversations else ""
    rows = [
        (t("stats.conversations"), str(stats.conversations)),
        (t("stats.answered"), f"{stats.answered}{share}"),
        (t("stats.unanswered"), str(stats.unanswered)),
        (t("stats.left_message"), str(stats.left_message)),
        (t("stats.interrupted"), str(stats.interrupted)),
        (t("stats.wait_median"), duration(stats.wait_median)),
        (t("stats.wait_p90"), duration(stats.wait_p90)),
    ]
    width = max(len(label) for label, _ in rows) + 2
    parts: Parts = []
    for label, value in rows:
        parts += [label.ljust(width), (value, "bold"), "\n"]
    return parts


def chart(title: str, rows: list[tuple[str, int]], bar_width: int = BAR_WIDTH) -> Parts:
    """A titled horizontal bar chart; labels are cleaned (tag names come from the network)."""
    parts: Parts = [(title + "\n", "bold underline")]
    if not rows:
        return [*parts, ("–\n", "dim")]
    for label, bar_text, count in chart_rows(rows, bar_width):
        parts += [
            "  " + one_line(label, LABEL_WIDTH).ljust(LABEL_WIDTH) + " ",
            (bar_text, "$accent"),
            f" {count}\n",
        ]
    return parts


def stats_content(stats: Stats, texts: Texts, tag_name: Callable[[str], str]) -> Content:
    """The whole body of the statistics screen."""
    tags = [(texts("stats.no_tag") if k == "(none)" else tag_name(k), n) for k, n in stats.by_tag]
    days = [(texts(f"wd.{k}"), n) for k, n in stats.by_weekday]
    parts = [*headline(stats, texts), "\n", *chart(texts("stats.tags"), tags)]
    parts += ["\n", *chart(texts("stats.weekdays"), days)]
    return Content.assemble(*parts)


class StatsScreen(ModalScreen[None]):
    """Figures for a scope and period; D/S choose the scope, M/L/A the period, R reloads."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", show=False),
        Binding("d", "scope('desk')", show=False),
        Binding("s", "scope('service')", show=False),
        Binding("m", "period('month')", show=False),
        Binding("l", "period('last')", show=False),
        Binding("a", "period('all')", show=False),
        Binding("r", "reload", show=False),
    ]

    def __init__(
        self,
        backend: DeskBackend,
        texts: Texts,
        tag_name: Callable[[str], str],
        today: date,
        scope: str = "desk",
    ) -> None:
        super().__init__()
        self.backend, self.texts, self.tag_name, self.today = backend, texts, tag_name, today
        self.scope = scope
        self.period = "month"
        self.stats: Stats | None = None
        self.refusal = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="stats-box"):
            yield Static(id="stats-title", classes="dialog-title")
            with VerticalScroll(id="stats-scroll"):
                yield Static(id="stats-body")
            yield Static(self.texts("stats.keys"), markup=False, classes="dialog-keys")

    def on_mount(self) -> None:
        self.load()

    def action_scope(self, scope: str) -> None:
        self.scope = scope
        self.load()

    def action_period(self, period: str) -> None:
        self.period = period
        self.load()

    def action_reload(self) -> None:
        self.load()

    def _title(self) -> Content:
        t = self.texts
        first, _ = period_bounds(self.period, self.today)
        period = t(f"stats.period.{self.period}") + (f" ({first})" if first else "")
        return Content.assemble(
            t("stats.title"), " – ", (t(f"stats.scope.{self.scope}"), "bold $accent"), " · ", (period, "bold")
        )

    @work(exclusive=True, group="stats")
    async def load(self) -> None:
        self.query_one("#stats-title", Static).update(self._title())
        body = self.query_one("#stats-body", Static)
        body.update(Content.styled(self.texts("loading"), "dim"))
        first, last = period_bounds(self.period, self.today)
        self.stats, self.refusal = None, ""
        try:
            self.stats = await self.backend.stats(self.scope, first, last)
        except NotConnected:
            self.refusal = self.texts("not_connected")
        except CommandFailed as exc:
            self.refusal = str(exc)
        except Exception as exc:  # an old bridge without `stats`, a timeout: say so, do not crash
            self.refusal = self.texts("failed", why=str(exc))
        if self.stats is not None:
            body.update(stats_content(self.stats, self.texts, self.tag_name))
            return
        hint = self.texts("stats.refused_hint") if self.scope == "service" else ""
        body.update(
            Content.assemble(
                (self.texts("stats.refused") + "\n", "bold $error"),
                (clean(self.refusal), "$error"),
                "\n\n",
                (hint, "dim"),
            )
        )
