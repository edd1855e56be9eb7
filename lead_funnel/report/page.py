"""The report as one self-contained HTML file: plotly.js inlined, no network needed.

Each chart's figure is embedded as JSON (`<script type="application/json"
class="chart-spec">`) and drawn by one loader script, so the numbers a chart shows
can be read back from the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

from lead_funnel.report.model import ReportContext, Section, Table, Tile

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #0f172a;
       background: #f8fafc; }
header { background: #0f172a; color: #f8fafc; padding: 18px 32px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #cbd5e1; font-size: 14px; }
nav { padding: 8px 32px; background: #e2e8f0; font-size: 13px; }
nav a { margin-right: 14px; color: #1e3a8a; text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1280px; }
section { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; margin: 18px 0;
          padding: 16px 20px; }
section h2 { margin: 0 0 4px; font-size: 18px; }
.intro { margin: 0 0 12px; color: #475569; font-size: 14px; }
.note { color: #64748b; font-style: italic; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.tile { border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 12px; }
.tile .label { font-size: 12px; color: #64748b; text-transform: uppercase; letter-spacing: .03em; }
.tile .value { font-size: 24px; font-weight: 600; margin-top: 2px; }
.tile .delta { font-size: 12px; color: #64748b; }
.delta.up { color: #15803d; } .delta.down { color: #b91c1c; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 10px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 10px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
"""

LOADER = """
document.querySelectorAll("script.chart-spec").forEach(function (spec) {
  var figure = JSON.parse(spec.textContent);
  var target = document.getElementById("chart-" + spec.dataset.chart);
  Plotly.newPlot(target, figure.data, figure.layout, {displayModeBar: false, responsive: true});
});
"""


def format_value(value: Any, kind: str = "") -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return "\u2013"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _tile(tile: Tile) -> str:
    delta = ""
    if tile.previous is not None and tile.value is not None:
        change = tile.value - tile.previous
        direction = "up" if change > 0 else "down" if change < 0 else ""
        if tile.key == "cost_per_sql":  # a cost going up is bad news
            direction = {"up": "down", "down": "up"}.get(direction, "")
        if tile.key == "spend":  # neither good nor bad by itself
            direction = ""
        shown = format_value(abs(change), tile.kind if tile.kind != "rate" else "")
        if tile.kind == "rate":
            shown = f"{abs(change) * 100:.1f} pts"
        sign = "+" if change > 0 else "\u2212" if change < 0 else "±"
        delta = (
            f'<div class="delta {direction}">{sign}{shown} vs '
            f"{format_value(tile.previous, tile.kind)}</div>"
        )
    raw = "" if tile.value is None else json.dumps(tile.value)
    return (
        f'<div class="tile" data-metric="{tile.key}" data-value="{html.escape(raw)}">'
        f'<div class="label">{html.escape(tile.label)}</div>'
        f'<div class="value">{format_value(tile.value, tile.kind)}</div>{delta}</div>'
    )


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            rate = isinstance(value, float) and 0 < value < 1 and not float(value).is_integer()
            text = format_value(value)
            if rate and "rate" in table.caption.lower():
                text = f"{value:.1%}"
            cells.append(
                f'<td class="num">{text}</td>' if numeric else f"<td>{html.escape(text)}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td class="note" colspan="{len(table.columns)}">none</td></tr>')
    return (
        f"<table><caption>{html.escape(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _chart_spec(key: str, figure_json: str) -> str:
    safe = figure_json.replace("</", "<\\/")
    return (
        f'<div class="chart" id="chart-{key}"></div>'
        f'<script type="application/json" class="chart-spec" data-chart="{key}">{safe}</script>'
    )


def _section(section: Section) -> str:
    parts = [f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>']
    if section.intro:
        parts.append(f'<p class="intro">{html.escape(section.intro)}</p>')
    if section.tiles:
        parts.append('<div class="tiles">' + "".join(_tile(t) for t in section.tiles) + "</div>")
    if section.charts:
        parts.append(
            '<div class="charts">'
            + "".join(_chart_spec(c.key, pio.to_json(c.figure)) for c in section.charts)
            + "</div>"
        )
    parts += [_table(t) for t in section.tables]
    parts += [f'<p class="note">{html.escape(n)}</p>' for n in section.notes]
    parts.append("</section>")
    return "".join(parts)


def render_page(context: ReportContext, sections: Sequence[Section]) -> str:
    nav = "".join(f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in sections)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Lead funnel report {context.as_of:%Y-%m-%d}</title>"
        f"<style>{STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f"<header><h1>Lead funnel report</h1><p>Published marts {html.escape(context.as_of_text)}"
        f" · {html.escape(context.source)}</p></header>"
        f"<nav>{nav}</nav><main>{''.join(_section(s) for s in sections)}</main>"
        f"<script>{LOADER}</script></body></html>"
    )
