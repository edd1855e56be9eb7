"""`lead-funnel bench --engines duckdb,spark` end to end at 1,500 leads: the Spark side's
copy, full and incremental nights are measured beside DuckDB's on the same generated data,
with their phases, and Spark's published night equals DuckDB's row for row."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from lead_funnel_tools.bench import PHASES
from tests.conftest import lead_funnel_cli

pytestmark = pytest.mark.spark

pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")

LEADS = 1500


def test_the_bench_measures_spark_beside_duckdb_and_finds_them_equal(tmp_path: Path) -> None:
    output = tmp_path / "report"
    began = time.perf_counter()
    completed = lead_funnel_cli(
        "bench", "--engines", "duckdb,spark", "--sizes", str(LEADS),
        "--workdir", str(tmp_path / "work"), "--output", str(output), "--skip-parse",
        timeout=3600,
    )  # fmt: skip
    print(f"bench --engines duckdb,spark --sizes {LEADS}: {time.perf_counter() - began:.0f} s")
    assert completed.returncode == 0, completed.stderr[-4000:] + completed.stdout[-4000:]
    assert_plausible_spark_figures(output)


def assert_plausible_spark_figures(output: Path) -> None:
    """The Spark side's figures in the bench's results.csv and README.md."""
    [row] = list(csv.DictReader((output / "results.csv").open()))
    number = {key: float(value) for key, value in row.items() if _is_number(value)}
    assert int(number["leads"]) == LEADS
    for kind in ("full", "incremental"):
        total = number[f"spark_{kind}_s"]
        assert total > 1.0
        # the JVM is in the measured tree: a Spark driver alone holds a few hundred MiB
        assert number[f"spark_{kind}_peak_gib"] > 0.3
        assert number[f"spark_{kind}_cpu_s"] > 1.0
        phase = {name: number[f"spark_{kind}_{name}_s"] for name in PHASES}
        assert all(0 <= seconds <= total for seconds in phase.values()), phase
        # the steps do not overlap (the dbt layers do: 4 threads)
        steps = ("startup", "dbt_parse", "sla", "checks", "publication")
        assert sum(phase[name] for name in steps) <= total, phase
        for name in ("staging", "marts", "dbt_tests", "sla", "checks", "publication"):
            assert phase[name] > 0, name
    assert number["spark_copy_s"] > 1.0 and number["spark_append_copy_s"] > 1.0
    assert number["spark_append_s"] > 0
    # every published mart (23 at the time of writing, the 14 of the contract among them)
    # and the 3 audit tables
    assert number["spark_equal_tables"] >= 14 + 3
    assert number["spark_equal_rows"] > LEADS
    assert number["spark_differing_rows"] == 0, row["spark_differing_tables"]
    report = (output / "README.md").read_text()
    assert "## DuckDB against Spark (local[2]) on the same generated data" in report
    assert f"| {LEADS:,} | spark |" in report
    assert "## Results (seconds, GiB" in report  # the DuckDB tables are still there


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
