"""The pure pieces of `lead-funnel bench --engines duckdb,spark`: phases from a run's
artifacts, the cross-engine row match, the equality figures and the report's Spark section,
each from given numbers worked out by hand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lead_funnel_tools.bench import PHASES, artifact_phases
from lead_funnel_tools.bench_spark import equality_figures, parse_engines, report_lines
from lead_funnel_tools.compare import RowDifference, tolerant_differences


def _node(unique_id: str, start: str, end: str) -> dict[str, object]:
    day = "2026-12-01T00:00:"
    return {
        "unique_id": unique_id,
        "timing": [
            {"name": "compile", "started_at": f"{day}{start}Z", "completed_at": f"{day}{start}Z"},
            {"name": "execute", "started_at": f"{day}{start}Z", "completed_at": f"{day}{end}Z"},
        ],
    }


def _artifacts(tmp_path: Path) -> tuple[Path, Path]:
    """A Spark run's artifacts as DIR/spark_artifacts holds them: a run summary and dbt's
    run_results.json + manifest.json."""
    runs, target = tmp_path / "runs", tmp_path / "dbt_target"
    runs.mkdir()
    target.mkdir()
    # an older summary the phases must not read
    (runs / "older.json").write_text(json.dumps({"step_seconds": {"sla_breaches": 99.0}}))
    (runs / "20261201T020000-abcd1234.json").write_text(
        json.dumps(
            {
                "step_seconds": {
                    "lead_funnel_dbt_assets": 10.0,
                    "sla_breaches": 2.0,
                    "stage_definition_invariants": 3.0,
                    "publication__published_marts": 1.5,
                }
            }
        )
    )
    os.utime(runs / "older.json", (1_000_000_000, 1_000_000_000))
    nodes = {
        "seed.lead_funnel.stage_definitions": "seeds/stage_definitions.csv",
        "model.lead_funnel.stg_leads": "staging/stg_leads.sql",
        "model.lead_funnel.int_chain": "intermediate/int_chain.sql",
        "model.lead_funnel.fct_lead_scores": "marts/scoring/fct_lead_scores.sql",
        "model.lead_funnel.dim_leads": "marts/dim_leads.sql",
        "test.lead_funnel.not_null_dim_leads": "not_null_dim_leads.sql",
    }
    results = [
        _node("seed.lead_funnel.stage_definitions", "00", "01"),  # staging 0-1
        _node("model.lead_funnel.stg_leads", "01", "03"),  # staging 1-3: merged 0-3
        _node("model.lead_funnel.int_chain", "02", "05"),  # intermediate 2-5
        _node("model.lead_funnel.fct_lead_scores", "05", "06"),  # scoring 5-6
        _node("model.lead_funnel.dim_leads", "05", "07"),  # marts 5-7
        _node("test.lead_funnel.not_null_dim_leads", "08", "09"),  # dbt tests 8-9
        {"unique_id": "model.lead_funnel.skipped", "timing": []},  # not executed: left out
    ]
    (target / "run_results.json").write_text(json.dumps({"results": results}))
    manifest = {"nodes": {uid: {"path": path} for uid, path in nodes.items()}}
    (target / "manifest.json").write_text(json.dumps(manifest))
    return runs, target


def test_phases_come_from_the_latest_run_summary_and_dbt_results(tmp_path: Path) -> None:
    runs, target = _artifacts(tmp_path)
    phases = artifact_phases(runs, target, total_seconds=20.0)
    assert set(phases) == set(PHASES)
    assert phases == pytest.approx(
        {
            "staging": 3.0,  # 0-1 and 1-3, merged
            "intermediate": 3.0,
            "scoring": 1.0,
            "marts": 2.0,
            "dbt_tests": 1.0,
            # the dbt step (10 s) outside its nodes (0-7 and 8-9: 8 s of node wall time)
            "dbt_parse": 2.0,
            "sla": 2.0,
            "checks": 3.0,
            "publication": 1.5,
            "startup": 3.5,  # 20 s of the run outside its steps (16.5 s)
        }
    )


def test_rows_match_across_engines_as_multisets_with_a_float_tolerance() -> None:
    spark = [(1.0, "a"), (1.0, "a"), (2.0, "b"), (0.12345678950000001, "t")]
    duckdb = [(1.0 + 1e-12, "a"), (2.5, "b"), (3.0, "c"), (0.1234567894999999, "t")]
    difference = tolerant_differences(spark, duckdb, names=("Spark", "DuckDB"))
    # (1.0, a) twice against once; (2.0, b) against (2.5, b); (3.0, c) on DuckDB alone;
    # the two 0.1234567895s round apart at 9 digits but are within the tolerance
    assert (difference.only_left, difference.only_right, difference.total) == (2, 2, 4)
    assert difference.first == "Spark (1.0, 'a') != DuckDB (2.5, 'b')"
    assert tolerant_differences(spark, spark) == RowDifference(0, 0, None)


def test_equality_figures_sum_rows_and_name_the_tables_that_differ() -> None:
    figures = equality_figures(
        {"marts.a": 10, "marts.b": 5, "audit.c": 2},
        {
            "marts.a": RowDifference(0, 0),
            "marts.b": RowDifference(1, 2, "x"),
            "audit.c": RowDifference(0, 1, "y"),
        },
    )
    assert figures == {
        "spark_equal_tables": 3,
        "spark_equal_rows": 17,
        "spark_differing_rows": 4,
        "spark_differing_tables": "audit.c:1 marts.b:3",
    }


def _row() -> dict[str, object]:
    phases = {f"full_{p}_s": 1.0 for p in PHASES} | {f"incremental_{p}_s": 0.5 for p in PHASES}
    spark = {f"spark_{k}": 2 * v for k, v in phases.items()}
    return {
        "leads": 1500, "tree": "this tree", "generate_s": 2.0,
        "full_s": 10.0, "full_cpu_s": 12.0, "full_peak_gib": 0.5, "append_s": 1.0,
        "incremental_s": 4.0, "incremental_cpu_s": 5.0, "incremental_peak_gib": 0.4,
        "spark_copy_s": 8.0, "spark_full_s": 40.0, "spark_full_cpu_s": 60.0,
        "spark_full_peak_gib": 1.75, "spark_append_s": 1.5, "spark_append_copy_s": 7.5,
        "spark_incremental_s": 30.0, "spark_incremental_cpu_s": 45.0,
        "spark_incremental_peak_gib": 1.5, "spark_equal_tables": 26, "spark_equal_rows": 12345,
        "spark_differing_rows": 0, "spark_differing_tables": "", "spark_equal_s": 20.0,
        **phases, **spark,
    }  # fmt: skip


def test_the_report_puts_each_engine_on_its_own_line() -> None:
    lines = report_lines([_row()])
    # DuckDB: no copy, append alone, 4 / 10 = 40 %; Spark: append 1.5 + copy 7.5, 30 / 40 = 75 %
    assert (
        "| 1,500 | duckdb | 2.0 | — | 10.0 | 12.0 | 0.50 | 1.0 | 4.0 | 5.0 | 0.40 | 40% |" in lines
    )
    assert (
        "| 1,500 | spark | 2.0 | 8.0 | 40.0 | 60.0 | 1.75 | 9.0 | 30.0 | 45.0 | 1.50 | 75% |"
        in lines
    )
    assert "| 1,500 | 26 | 12,345 | 0 | — | 20.0 |" in lines
    header = next(line for line in lines if line.startswith("| phase |"))
    assert header == (
        "| phase | 1,500 full duckdb | 1,500 full spark | 1,500 incremental duckdb "
        "| 1,500 incremental spark |"
    )
    assert "| sla | 1.0 | 2.0 | 0.5 | 1.0 |" in lines


def test_no_spark_figures_no_spark_section() -> None:
    row = {k: v for k, v in _row().items() if not k.startswith("spark_")}
    assert report_lines([row]) == []


def test_engines_must_include_duckdb() -> None:
    assert parse_engines("duckdb, spark,duckdb") == ("duckdb", "spark")
    with pytest.raises(ValueError, match="unknown engine flink"):
        parse_engines("duckdb,flink")
    with pytest.raises(ValueError, match="compares Spark with DuckDB"):
        parse_engines("spark")
