"""The serve file opens read-only in DuckDB 1.x clients (what BI drivers embed) as in 2.x."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import lead_funnel_cli
from tests.readers.duckdb1 import DUCKDB_1_VERSIONS, read_with_duckdb1

pytestmark = pytest.mark.slow

FUNNEL_SQL = (
    "select cohort_month, channel, lead_source, mqls, sals, sqls, won, spend, "
    "mql_to_sal_rate, cost_per_sql from marts.fct_funnel_by_source "
    "order by cohort_month, channel, lead_source nulls first"
)


def _relations(path) -> list[str]:  # type: ignore[no-untyped-def]
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('marts', 'audit', 'lead_funnel_meta') order by 1"
        ).fetchall()
    return [row[0] for row in rows]


def _read_with_duckdb2(path, sql_by_name: dict[str, str]) -> dict[str, list[list[str]]]:  # type: ignore[no-untyped-def]
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            name: [[str(v) for v in row] for row in con.execute(sql).fetchall()]
            for name, sql in sql_by_name.items()
        }


@pytest.mark.parametrize("version", DUCKDB_1_VERSIONS)
def test_duckdb_1x_reads_the_serve_file_as_2x_does(handbuilt_run, version: str) -> None:  # type: ignore[no-untyped-def]
    assert handbuilt_run["completed"].returncode == 0, handbuilt_run["completed"].stderr[-3000:]
    serve = handbuilt_run["serve"]
    relations = _relations(serve)
    assert {"marts.fct_funnel_by_source", "marts.dim_channels", "audit.invariant_verdicts"} <= set(
        relations
    )
    sql_by_name = {name: f"select count(*) from {name}" for name in relations}
    sql_by_name["funnel"] = FUNNEL_SQL
    old = read_with_duckdb1(version, serve, sql_by_name)
    assert old["version"] == version
    assert old["results"] == _read_with_duckdb2(serve, sql_by_name)
    # the hand-built scenario: March 2025 paid search holds 10 MQLs, 6 SALs, 3 SQLs
    assert ["2025-03-01", "paid_search", "Paid Search", "10", "6", "3"] in [
        row[:6] for row in old["results"]["funnel"]
    ]


def test_lead_funnel_sql_queries_the_serve_file_read_only(handbuilt_run) -> None:  # type: ignore[no-untyped-def]
    database = str(handbuilt_run["database"])
    readme_query = (
        "select cohort_month, channel, lead_source, mqls, sals, sqls, round(cost_per_sql, 2) "
        "as cost_per_sql from marts.fct_funnel_by_source where not is_spend_only_row "
        "order by cohort_month desc, mqls desc limit 5"
    )
    completed = lead_funnel_cli("sql", "--database", database, "--csv", readme_query)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        "cohort_month,channel,lead_source,mqls,sals,sqls,cost_per_sql",
        "2025-04-01,paid_search,Paid Search,1,0,0,",
        "2025-03-01,paid_search,Paid Search,10,6,3,566.67",
        "2025-03-01,direct_demo_request,Website Demo Request,1,0,0,",
    ]
    refused = lead_funnel_cli("sql", "--database", database, "drop table marts.dim_leads")
    assert refused.returncode == 1
    assert "read-only mode" in refused.stderr


def test_the_marts_export_as_parquet_one_file_per_mart(handbuilt_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lead_funnel.parquet_export import export_parquet

    serve = handbuilt_run["serve"]
    target = tmp_path / "parquet"
    counts = export_parquet(serve, target)
    marts = [name.split(".", 1)[1] for name in _relations(serve) if name.startswith("marts.")]
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{m}.parquet" for m in marts)
    with duckdb.connect() as con:
        for mart in marts:
            path = target / f"{mart}.parquet"
            assert con.execute(f"select count(*) from '{path}'").fetchone()[0] == counts[mart]
        funnel = con.execute(
            f"select cohort_month, channel, mqls, sals, sqls from '{target}/fct_funnel_by_source.parquet' "
            "where channel = 'paid_search' order by cohort_month"
        ).fetchall()
    assert [row[2:] for row in funnel] == [(10, 6, 3), (1, 0, 0)]
    export_parquet(serve, target)  # again: replaced in place, nothing left behind
    assert not [p for p in target.iterdir() if p.name.startswith(".")]
