"""The semantic layer answers: `mf query` (dbt-metricflow) on the hand-built run returns
exactly what fct_funnel_by_source holds, run the way the README shows it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lead_funnel.paths import DBT_PROJECT_DIR
from tests.conftest import query

pytestmark = pytest.mark.slow

METRICS = ("mqls", "sals", "mql_to_sal_rate", "cost_per_sql")


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_mf_query_returns_the_funnel_mart(handbuilt_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert handbuilt_run["completed"].returncode == 0
    env = {
        **os.environ,
        "LEAD_FUNNEL_DATABASE": str(handbuilt_run["database"]),  # marts.* of the last run
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # README: `dbt parse` writes target/semantic_manifest.json, which mf reads
    parsed = subprocess.run(
        [_bin("dbt"), "parse", "--profiles-dir", ".", "--quiet"],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-3000:]
    answer = tmp_path / "answer.csv"
    completed = subprocess.run(
        [
            _bin("mf"),
            "query",
            "--metrics",
            ",".join(METRICS),
            "--group-by",
            "metric_time__month,funnel_cohort__channel",
            "--csv",
            str(answer),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    with answer.open() as handle:
        mf_rows = {
            (row["metric_time__month"][:10], row["funnel_cohort__channel"]): tuple(
                _number(row[metric]) for metric in METRICS
            )
            for row in csv.DictReader(handle)
        }
    mart = query(
        handbuilt_run["serve"],
        """select strftime(cohort_month, '%Y-%m-%d'), channel, count(*),
                  sum(mqls), sum(sals), sum(sals) / nullif(sum(mqls), 0),
                  sum(spend) / nullif(sum(sqls), 0),
                  any_value(mql_to_sal_rate), any_value(cost_per_sql)
           from marts.fct_funnel_by_source group by all""",
    )
    # one row per month x channel in this scenario, so the mart's own rates are the answer too
    assert all(rows == 1 for _, _, rows, *_ in mart)
    expected = {
        (month, channel): (float(mqls), float(sals), rate, cost)
        for month, channel, _, mqls, sals, rate, cost, *_ in mart
    }
    assert mf_rows == expected
    mart_rates = {(month, channel): (rate, cost) for month, channel, *_, rate, cost in mart}
    assert {key: value[2:] for key, value in mf_rows.items()} == mart_rates
    # by hand: March paid search 10 MQLs, 6 SALs, 1,700 spent for 3 SQLs
    assert mf_rows[("2025-03-01", "paid_search")] == (10.0, 6.0, 6 / 10, 1700 / 3)
