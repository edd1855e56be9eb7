"""Comparing one warehouse's tables on Spark with the same tables in a DuckDB file, row for row.

The row matching (one spelling per value, multisets, floats to FLOAT_TOLERANCE) is
lead_funnel_tools.compare's, which the benchmark shares. A table's `differences` counts the
rows of either side without an equal row on the other.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lead_funnel_tools.compare import (
    compared_columns,
    duckdb_rows,
    duckdb_table_names,
    spark_rows,
    tolerant_differences,
)
from tests.conftest import lead_funnel_cli

# the dbt-built marts of CONTRACT sections 3 and 3b; fct_sla_breaches is written by the
# nightly job's Python SLA step, not by dbt (its Spark side is `lead-funnel run --engine spark`)
CONTRACT_MARTS = (
    "dim_leads",
    "fct_lead_stage_history",
    "fct_lead_cycles",
    "fct_lead_scores",
    "fct_account_engagement",
    "fct_score_calibration",
    "fct_funnel_by_source",
    "fct_lead_creation_by_source",
    "fct_rejection_reasons",
    "fct_attribution_touches",
    "fct_attribution_by_channel",
    "fct_funnel_targets",
    "fct_pipeline_coverage",
    "fct_speed_to_lead",
)
NOT_BUILT_BY_DBT = ("fct_sla_breaches",)
# the audit tables beside the marts that must agree too (schema, table)
AUDIT_TABLES = (
    ("audit", "reconciliation_raw_rows"),
    ("quarantine", "quarantine_salesforce"),
    ("quarantine", "quarantine_marketo"),
)


@dataclass(frozen=True)
class TableComparison:
    table: str
    duckdb_rows: int
    spark_rows: int
    differences: int
    first_difference: str | None


def copy_raw_to_spark(database: Path, warehouse_dir: Path) -> subprocess.CompletedProcess[str]:
    """`lead-funnel copy-raw` as a user runs it, in its own process: the embedded Derby
    metastore stays locked by a JVM until that JVM exits, and dbt opens it next."""
    return lead_funnel_cli(
        "copy-raw", "--database", str(database), "--engine", "spark",
        "--warehouse-dir", str(warehouse_dir),
    )  # fmt: skip


def compare_table(spark: Any, duckdb_file: Path, schema: str, table: str) -> TableComparison:
    columns = compared_columns(spark.table(f"{schema}.{table}").columns)
    spark_side = spark_rows(spark, f"{schema}.{table}", columns)
    duck_side = duckdb_rows(duckdb_file, schema, table, columns)
    difference = tolerant_differences(spark_side, duck_side, names=("Spark", "DuckDB"))
    return TableComparison(
        f"{schema}.{table}", len(duck_side), len(spark_side), difference.total, difference.first
    )


def compare_tables(
    spark: Any, duckdb_file: Path, tables: list[tuple[str, str]], report_file: Path
) -> list[TableComparison]:
    """Compare every table; the results go to report_file (JSON) and stdout for the record."""
    results = [compare_table(spark, duckdb_file, schema, table) for schema, table in tables]
    report_file.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    print(f"engine equivalence ({report_file}):")
    for result in results:
        print(
            f"  {result.table}: {result.duckdb_rows} rows on DuckDB, "
            f"{result.spark_rows} on Spark, {result.differences} differences"
        )
    return results


def problems(results: list[TableComparison]) -> list[str]:
    return [
        f"{r.table}: {r.differences} differences ({r.duckdb_rows} rows on DuckDB, "
        f"{r.spark_rows} on Spark); first: {r.first_difference}"
        for r in results
        if r.differences or r.duckdb_rows != r.spark_rows
    ]


def duckdb_tables(duckdb_file: Path, schema: str) -> set[str]:
    return set(duckdb_table_names(duckdb_file, schema))


def spark_tables(spark: Any, database: str) -> set[str]:
    from lead_funnel.spark_engine import tables_in

    return set(tables_in(spark, database))
