"""The HTML report: rendered from the known database and checked for its numbers and escaping."""

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tags import TagSet, parse_tags
from tags.compare import parse_survey
from tags.html import render_html
from tags.period import Period
from tags.reporting import build_report

from .store import KNOWN, Chat, create

HEL = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Tables(HTMLParser):
    """Collects each table's rows (by class) as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = self.tables.setdefault(dict(attrs).get("class") or "", [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.current[-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


@pytest.fixture
def page(tmp_path: Path, piki: TagSet) -> str:
    database = create(tmp_path / "tiski.sqlite3", KNOWN)
    survey = parse_survey("title: Survey 2018\nshares: {loans: 50, login: 50}")
    data = build_report(database, Period(tz=HEL), tagset=piki, against=survey, now=NOW)
    return render_html(data)


def test_summary_figures(page: str) -> None:
    summary = dict(tables(page)["summary"])
    assert summary == {
        "Conversations": "9",
        "Answered": "5 (55.6 %)",
        "Never answered": "4",
        "Left as messages": "2 (22.2 %)",
        "Interrupted": "1",
        "Time to first answer, median": "1 min 30 s",
        "Time to first answer, 90th percentile": "4 min 30 s",
        "Chat length, median": "10 min 00 s",
        "Chat length, 90th percentile": "20 min 00 s",
        "Lines per answered chat, median": "2",
    }


def test_breakdown_tables(page: str) -> None:
    t = tables(page)
    by_tag = {row[0]: row[1:] for row in t["by-tag"][1:]}
    assert by_tag["loans"] == ["Lainaus – lainat", "2", "22.2 %"]
    assert by_tag["materials"] == ["Kirjastoaineisto", "0", "0.0 %"]
    assert by_tag["(none)"] == ["", "2", "22.2 %"]
    assert [r[:2] for r in t["by-weekday"][1:]] == [
        ["mon", "1"], ["tue", "3"], ["wed", "1"], ["thu", "3"], ["fri", "1"], ["sat", "0"],
        ["sun", "0"],
    ]  # fmt: skip
    hours = {r[0]: r[1] for r in t["by-hour"][1:]}
    assert list(hours) == [f"{h:02d}" for h in range(17)]
    assert hours["00"] == "2" and hours["10"] == "2" and hours["15"] == "0"
    assert [r[:2] for r in t["by-month"][1:]] == [["2026-09", "1"], ["2026-10", "1"], ["2026-11", "7"]]
    assert [r[:2] for r in t["by-desk"][1:]] == [
        ["tampere@chat.example", "3"], ["akaa@chat.example", "1"], ["nokia@chat.example", "1"],
        ["(none)", "4"],
    ]  # fmt: skip
    assert t["by-library"][1][:2] == ["tampere", "6"]


def test_comparison_table(page: str) -> None:
    rows = {row[0]: row[1:] for row in tables(page)["comparison"][1:]}
    # Eight topic-tag uses: login, card, loans ×2, fees, hours, other, and oldtag (not in the file).
    assert rows["Lainaus – lainat"] == ["2", "25.0 %", "50.0 %", "-25.0 pp"]
    assert rows["Kirjautumisasiat"] == ["1", "12.5 %", "50.0 %", "-37.5 pp"]
    assert rows["oldtag"] == ["1", "12.5 %", "0.0 %", "+12.5 pp"]
    assert rows["Varaaminen"] == ["0", "0.0 %", "0.0 %", "+0.0 pp"]
    assert "Keskeytynyt" not in rows


def test_charts_are_inline_svg_and_nothing_is_fetched(page: str) -> None:
    assert page.count("<svg") == 3  # tags, weekdays, weekday × hour
    assert "Lainaus – lainat" in page.split('<h2 id="by-weekday">')[0].split("<svg")[1]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page and "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "default-src 'none'" in page
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_heat_map_counts(page: str) -> None:
    heat = page.split('<h2 id="heat-map">')[1].split("</figure>")[0]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", heat)
    assert texts.count("2") >= 1  # Thursday 00:00
    assert "thu" in texts and "sun" in texts


def test_everything_is_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    tagset = parse_tags(
        '- {id: x, name: {fi: "<b>bold</b> & <script>alert(1)</script>"}}\n'
        '- {id: y, name: {fi: "Price $5 $ 6"}}\n'
    )
    chats = [
        Chat("e1", evil, "2026-11-02T08:00:00", patron=["2026-11-02T08:00:00"],
             answered_at="2026-11-02T08:01:00", desk=f'"><img src=x onerror=alert(1)>{evil}',
             tags=["x", "y", evil]),
    ]  # fmt: skip
    database = create(tmp_path / "evil.sqlite3", chats)
    page = render_html(build_report(database, Period(tz=HEL), tagset=tagset, title=evil, lang="fi", now=NOW))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Price $5 $ 6" in page


def test_empty_period(tmp_path: Path, piki: TagSet) -> None:
    database = create(tmp_path / "empty.sqlite3", [])
    period = Period(date(2027, 1, 1), date(2027, 1, 31), HEL)
    page = render_html(build_report(database, period, tagset=piki, now=NOW))
    assert dict(tables(page)["summary"])["Conversations"] == "0"
    assert dict(tables(page)["summary"])["Answered"] == "0 (–)"
    assert "Period 2027-01" in page
