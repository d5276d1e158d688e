"""Charts for the HTML report, drawn by matplotlib as SVG text to inline in the page."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BAR_COLOUR = "#2b6cb0"
# Text stays text (searchable, small), labels are never read as $math$, ids are stable.
_RC: dict[str, Any] = {"svg.fonttype": "none", "text.parse_math": False, "font.size": 10}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str, horizontal: bool = False) -> str:
    """A bar chart with the value written at each bar, as an SVG element."""
    height = max(2.4, 0.36 * len(labels) + 1) if horizontal else 3.2
    fig = Figure(figsize=(7.5, height), layout="constrained")
    ax = fig.add_subplot()
    positions = range(len(labels))
    if horizontal:
        bars = ax.barh(positions, values, color=BAR_COLOUR)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
        ax.set_xlabel("conversations")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(x=0.08)
    else:
        bars = ax.bar(positions, values, color=BAR_COLOUR)
        ax.set_xticks(positions, labels)
        ax.set_ylabel("conversations")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.margins(y=0.12)
    ax.bar_label(bars, padding=2)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, title)


def heat_map(grid: Sequence[Sequence[int]], rows: Sequence[str], hours: Sequence[int], *, title: str) -> str:
    """A weekday × hour heat map with counts in the cells, as an SVG element."""
    data = [[row[h] for h in hours] for row in grid]
    fig = Figure(figsize=(max(4.0, 0.42 * len(hours) + 1.6), 3.4), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(data, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours])
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("hour (local time)")
    peak = max((v for line in data for v in line), default=0)
    for y, line in enumerate(data):
        for x, value in enumerate(line):
            if value:
                colour = "white" if value > peak / 2 else "black"
                ax.text(x, y, str(value), ha="center", va="center", color=colour, fontsize=8)
    bar = fig.colorbar(image, ax=ax, label="conversations")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    ax.set_title(title)
    return _svg(fig, title)


def _svg(fig: Figure, salt: str) -> str:
    out = io.StringIO()
    settings: dict[Any, Any] = {**_RC, "svg.hashsalt": salt}
    with matplotlib.rc_context(settings):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return _PROLOG.sub("", out.getvalue(), count=1).strip()
