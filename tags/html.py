"""The self-contained HTML report: tables of every figure, charts inlined as SVG, all escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from tags import charts
from tags.reportdata import ReportData
from tags.stats import NONE_KEY, WEEKDAYS, Summary
from tags.textout import mean_rating, percent, ratings_rows, summary_rows, tag_name

# No network, no scripts: the file works offline and as an e-mail attachment.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1a202c; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #cbd5e0; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: .25rem .75rem; border-bottom: 1px solid #e2e8f0; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.meta { color: #4a5568; }
"""
BREAKDOWN_TITLES = {
    "tag": "Conversations by tag",
    "weekday": "Conversations by weekday",
    "hour": "Conversations by hour",
    "month": "Conversations by month",
    "desk": "Conversations by desk (the desk that accepted)",
    "library": "Conversations by library (the page's library)",
}


def render_html(data: ReportData) -> str:
    """The whole report as one HTML document."""
    parts = [
        _head(data),
        _summary(data.summary),
        _section_tag(data),
        _section_counts(data, "weekday", chart=True),
        _heat(data),
        _section_counts(data, "hour"),
        _section_counts(data, "month"),
        _section_counts(data, "desk"),
        _section_counts(data, "library"),
        _ratings(data),
        _bot(data),
        _comparison(data),
        "</main></body></html>\n",
    ]
    return "".join(part for part in parts if part)


def _head(data: ReportData) -> str:
    sources = ", ".join(data.sources)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(data.lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(data.title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(data.title)}</h1>"
        f'<p class="meta">Period {escape(data.period)} · times in {escape(data.timezone)} · '
        f"made {escape(data.generated.strftime('%Y-%m-%d %H:%M'))}"
        + (f" · from {escape(sources)}" if sources else "")
        + "</p>"
    )


def _summary(s: Summary) -> str:
    rows = summary_rows(s)
    body = "".join(f'<tr><th scope="row">{escape(k)}</th><td class="n">{escape(v)}</td></tr>'
                   for k, v in rows)  # fmt: skip
    return f'<h2 id="summary">Summary</h2><table class="summary">{body}</table>'


def _section_tag(data: ReportData) -> str:
    rows = data.breakdowns.get("tag", ())
    labels = [_label(key, data) for key, _ in rows]
    chart = charts.bar_chart(labels, [n for _, n in rows], title="By tag", horizontal=True)
    return _section(data, "tag", rows, chart)


def _section_counts(data: ReportData, by: str, chart: bool = False) -> str:
    rows = data.breakdowns.get(by, ())
    if by == "hour":
        rows = tuple(_busy_span(rows))
    svg = None
    if chart and rows:
        svg = charts.bar_chart([k for k, _ in rows], [n for _, n in rows], title=f"By {by}")
    return _section(data, by, rows, svg)


def _section(data: ReportData, by: str, rows: Sequence[tuple[str, int]], svg: str | None) -> str:
    total = data.summary.conversations
    named = by == "tag" and data.tagset is not None
    head = "<tr><th>Key</th>" + ("<th>Name</th>" if named else "")
    head += '<th class="n">Conversations</th><th class="n">Share</th></tr>'
    body = ""
    for key, count in rows:
        name = f"<td>{escape(tag_name(key, data.tagset, data.lang))}</td>" if named else ""
        share = percent(count / total) if total else "–"
        body += (f'<tr><td>{escape(key)}</td>{name}<td class="n">{count}</td>'
                 f'<td class="n">{escape(share)}</td></tr>')  # fmt: skip
    figure = f"<figure>{svg}</figure>" if svg else ""
    note = "<p>A conversation with several tags counts under each.</p>" if by == "tag" else ""
    return (f'<h2 id="by-{by}">{escape(BREAKDOWN_TITLES[by])}</h2>{figure}{note}'
            f'<table class="by-{by}"><thead>{head}</thead><tbody>{body}</tbody></table>')  # fmt: skip


RATING_TITLES = {
    "desk": "Ratings by desk (the desk that accepted)",
    "tag": "Ratings by tag",
    "library": "Ratings by library (the page's library)",
}


def _ratings(data: ReportData) -> str:
    r = data.ratings
    if r is None:
        return ""
    overall = "".join(f'<tr><th scope="row">{escape(k)}</th><td class="n">{escape(v)}</td></tr>'
                      for k, v in ratings_rows(r))  # fmt: skip
    parts = [
        '<h2 id="ratings">Patrons\' ratings</h2>',
        "<p>After a chat has ended the widget asks the patron for a score from 1 (poor) to 5 "
        "(excellent). Means are over the rated conversations only.</p>",
        f'<table class="ratings">{overall}</table>',
    ]
    for by, rows in data.rating_breakdowns.items():
        named = by == "tag" and data.tagset is not None
        head = "<tr><th>Key</th>" + ("<th>Name</th>" if named else "")
        head += '<th class="n">Conversations</th><th class="n">Rated</th><th class="n">Mean</th></tr>'
        body = ""
        for row in rows:
            name = f"<td>{escape(tag_name(row.key, data.tagset, data.lang))}</td>" if named else ""
            body += (f'<tr><td>{escape(row.key)}</td>{name}<td class="n">{row.conversations}</td>'
                     f'<td class="n">{row.count}</td>'
                     f'<td class="n">{escape(mean_rating(row.mean))}</td></tr>')  # fmt: skip
        note = "<p>A conversation with several tags counts under each.</p>" if by == "tag" else ""
        parts.append(f'<h3 id="ratings-by-{by}">{escape(RATING_TITLES.get(by, by))}</h3>{note}'
                     f'<table class="ratings-by-{by}"><thead>{head}</thead>'
                     f"<tbody>{body}</tbody></table>")  # fmt: skip
    return "".join(parts)


BOT_TITLES = {"month": "Automatic answers by month", "entry": "Automatic answers by FAQ entry"}


def _bot(data: ReportData) -> str:
    if not data.bot.get("entry"):
        return ""  # no automatic answer in the period (or no FAQ)
    parts = [
        '<h2 id="bot">Automatic answers</h2>',
        "<p><em>Answered by the bot</em>: answered from the FAQ (an answer, or a suggestion the "
        "patron picked) with no librarian asked for after it. <em>Handoffs</em>: went to a "
        "librarian after a bot answer. By entry, a conversation counts under each entry used.</p>",
    ]
    for by, rows in data.bot.items():
        key = "Month" if by == "month" else "Entry"
        head = (f'<tr><th>{key}</th><th class="n">Conversations</th><th class="n">Answered by the bot</th>'
                '<th class="n">Share</th><th class="n">Suggestion picks</th>'
                '<th class="n">Handoffs after a bot answer</th></tr>')  # fmt: skip
        body = ""
        for r in rows:
            share = percent(r.share_by_bot) if r.share_by_bot is not None else "–"
            body += (f'<tr><td>{escape(r.key)}</td><td class="n">{r.conversations}</td>'
                     f'<td class="n">{r.by_bot}</td><td class="n">{escape(share)}</td>'
                     f'<td class="n">{r.picks}</td><td class="n">{r.handoffs}</td></tr>')  # fmt: skip
        table = f'<table class="bot-by-{by}"><thead>{head}</thead><tbody>{body}</tbody></table>'
        parts.append(f'<h3 id="bot-by-{by}">{escape(BOT_TITLES[by])}</h3>{table}')
    return "".join(parts)


def _heat(data: ReportData) -> str:
    busy = [h for h in range(24) if any(row[h] for row in data.grid)]
    hours = list(range(min(busy), max(busy) + 1)) if busy else list(range(8, 18))
    svg = charts.heat_map(data.grid, WEEKDAYS, hours, title="Weekday × hour")
    return f'<h2 id="heat-map">Weekday × hour</h2><figure>{svg}</figure>'


def _comparison(data: ReportData) -> str:
    comp = data.comparison
    if comp is None:
        return ""
    head = (f"<tr><th>Tag</th><th class=\"n\">{escape(comp.this_label)}</th>"
            f'<th class="n">Share</th><th class="n">{escape(comp.other_label)}</th>'
            '<th class="n">Change</th></tr>')  # fmt: skip
    body = ""
    for row in comp.rows:
        name = tag_name(row.tag_id, data.tagset, data.lang) or row.tag_id
        diff = "–" if row.difference is None else f"{row.difference:+.1f} pp"
        body += (f"<tr><td>{escape(name)}</td><td class=\"n\">{row.count}</td>"
                 f'<td class="n">{escape(percent(row.share))}</td>'
                 f'<td class="n">{escape(percent(row.other_share))}</td>'
                 f'<td class="n">{escape(diff)}</td></tr>')  # fmt: skip
    note = f"<p>{escape(comp.note)}</p>" if comp.note else ""
    return (
        f'<h2 id="comparison">Tag shares: {escape(comp.this_label)} vs '
        f"{escape(comp.other_label)}</h2>{note}"
        "<p>Shares are among topic tags (automatic tags and untagged chats left out).</p>"
        f'<table class="comparison"><thead>{head}</thead><tbody>{body}</tbody></table>'
    )


def _busy_span(rows: Sequence[tuple[str, int]]) -> Sequence[tuple[str, int]]:
    busy = [i for i, (_, n) in enumerate(rows) if n]
    return rows[busy[0] : busy[-1] + 1] if busy else ()


def _label(key: str, data: ReportData) -> str:
    if key == NONE_KEY:
        return "(no tag)"
    return tag_name(key, data.tagset, data.lang) or key
