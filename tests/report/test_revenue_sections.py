"""The attribution, targets and speed-to-lead sections, written against the contract's
columns (CONTRACT.md section 3b): shown when those marts are published, left out when not."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from lead_funnel.report import build_sections, render_report
from lead_funnel.report.model import ReportContext

AS_OF = datetime(2025, 5, 10, 2, 0)

CONTRACT_MARTS = {
    "fct_attribution_by_channel": (
        "cohort_month date, channel varchar, model varchar, attributed_mqls double, "
        "attributed_opportunities double, attributed_pipeline_amount double, attributed_won double, "
        "attributed_won_amount double, spend double, cost_per_attributed_opportunity double, "
        "return_on_spend double",
        [
            ("2025-04-01", "paid_search", "linear", 3, 1.5, 150, 0.5, 50, 100, 66.67, 0.5),
            ("2025-04-01", "webinar", "linear", 1, 0.5, 50, 0.5, 50, 0, None, None),
            ("2025-04-01", "paid_search", "first_touch", 4, 2, 200, 1, 100, 100, 50, 1),
        ],
    ),
    "fct_funnel_targets": (
        "month date, channel varchar, metric varchar, target double, actual double, "
        "attainment double, expected_to_date double, pace double, projected double",
        [
            ("2025-05-01", "all", "mqls", 100, 40, 0.4, 30, 40 / 30, 124),
            ("2025-05-01", "all", "sqls", 20, 5, 0.25, 6, 5 / 6, 15.5),
            ("2025-05-01", "paid_search", "mqls", 50, 30, 0.6, 15, 2, 93),
            ("2025-04-01", "all", "mqls", 90, 99, 1.1, 90, 1.1, None),
            ("2025-04-01", "all", "sqls", 20, 15, 0.75, 20, 0.75, None),
        ],
    ),
    "fct_pipeline_coverage": (
        "quarter_start date, won_amount_target double, won_amount double, "
        "open_pipeline_amount double, remaining_target double, coverage double",
        [("2025-04-01", 1000, 400, 1200, 600, 2.0)],
    ),
    "fct_speed_to_lead": (
        "cohort_month date, channel varchar, entry_lane varchar, response_bucket varchar, "
        "bucket_order integer, cycles bigint, accepted bigint, sqls bigint, sql_rate double, "
        "won bigint",
        [
            ("2025-04-01", "paid_search", "score", "within_1_hour", 2, 4, 3, 2, 0.5, 1),
            ("2025-04-01", "webinar", "fast_lane", "within_1_hour", 2, 2, 2, 1, 0.5, 0),
            ("2025-04-01", "paid_search", "score", "no_touch_yet", 6, 3, 0, 0, 0.0, 0),
            ("2025-04-01", "paid_search", "fast_lane", "within_5_minutes", 1, 1, 1, 1, 1.0, 1),
        ],
    ),
}


def _serve_file(path: Path, relations: dict[str, tuple[str, list[tuple]]]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema lead_funnel_meta")
        con.execute(
            "create table lead_funnel_meta.publication as select ? as run_id, ? as as_of",
            ["r1", AS_OF],
        )
        for name, (columns, rows) in relations.items():
            con.execute(f"create table marts.{name} ({columns})")
            width = len(rows[0])
            con.executemany(f"insert into marts.{name} values ({', '.join(['?'] * width)})", rows)
    return path


def _sections(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {s.key: s for s in build_sections(ReportContext.open(con, str(path)))}


def test_revenue_sections_show_the_contract_marts(tmp_path: Path) -> None:
    sections = _sections(_serve_file(tmp_path / "serve.duckdb", CONTRACT_MARTS))
    assert list(sections) == ["attribution", "targets", "speed_to_lead"]

    attribution = sections["attribution"].charts[0].figure
    shown = {(t.name, x): y for t in attribution.data for x, y in zip(t.x, t.y, strict=True)}
    assert shown == {
        ("First touch", "Paid search"): 2,
        ("Linear", "Paid search"): 1.5,
        ("Linear", "Webinar"): 0.5,
    }
    assert "as of 2025-05-10 02:00 UTC" in attribution.layout.title.text
    # one row per channel: its spend, then each model's attributed won amount / spend
    (return_on_spend,) = sections["attribution"].tables
    assert return_on_spend.columns == ["channel", "spend", "First touch", "Linear"]
    assert return_on_spend.rows == [
        ["Paid search", 100.0, 1.0, 0.5],  # 100 / 100 and 50 / 100
        ["Webinar", 0.0, None, None],  # no spend, no ratio; no first-touch credit
    ]

    targets = sections["targets"]
    attainment = {t.name: dict(zip(t.x, t.y, strict=True)) for t in targets.charts[0].figure.data}
    # the chart: April, the last full month before the 10 May as-of, channel `all`
    assert attainment == {"Attainment": {"Mqls": 1.1, "Sqls": 0.75}}
    assert "Apr 2025" in targets.charts[0].figure.layout.title.text
    # May so far: pace against the share of the month elapsed
    may = targets.tables[1]
    assert may.caption.startswith("May 2025 so far")
    assert [row[:5] for row in may.rows] == [
        ["Mqls", 100.0, 40.0, 30.0, pytest.approx(4 / 3)],
        ["Sqls", 20.0, 5.0, 6.0, pytest.approx(5 / 6)],
    ]
    coverage = targets.tables[-1]
    assert coverage.rows == [["2025-Q2", 1000.0, 400.0, 1200.0, 600.0, 2.0]]

    speed = {
        t.name: list(zip(t.x, t.y, strict=True))
        for t in sections["speed_to_lead"].charts[0].figure.data
    }
    assert speed["Cycles"] == [("≤ 5 minutes", 1), ("≤ 1 hour", 6), ("No touch yet", 3)]
    assert speed["SQL rate"] == [("≤ 5 minutes", 1.0), ("≤ 1 hour", 0.5), ("No touch yet", 0.0)]


def test_without_those_marts_the_sections_are_left_out(tmp_path: Path) -> None:
    path = _serve_file(tmp_path / "serve.duckdb", {})
    assert _sections(path) == {}
    result = render_report(path, tmp_path / "report" / "index.html")
    assert result.sections == ()
    assert result.path.read_text().startswith("<!DOCTYPE html>")
    assert date(2025, 5, 1) == ReportContext(con=None, source="", as_of=AS_OF).current_month  # type: ignore[arg-type]
