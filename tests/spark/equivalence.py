"""Comparing one warehouse's tables on Spark with the same tables in a DuckDB file, row for row.

Rows are normalised to one spelling per value (numbers as float, timestamps as naive UTC),
matched as multisets, and what is left unmatched is compared pairwise with FLOAT_TOLERANCE
(Spark and DuckDB sum doubles in different orders). A table's `differences` counts the rows
of either side without an equal row on the other.
"""

from __future__ import annotations

import json
import math
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from tests.conftest import lead_funnel_cli

FLOAT_TOLERANCE = 1e-9  # relative (and absolute near 0)
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
# the raw row as the engine prints it (JSON text); digests by each engine's own hash
# function: the incremental mechanism's bucket and digest, the staging bases' row identity
# and hash, and the raw table's shape in the engine's type names
ENGINE_SPECIFIC_COLUMNS = frozenset(
    {"raw_row", "_bucket", "_bucket_digest", "_row_identity", "_row_hash", "_raw_schema_digest"}
)
NULL_KEY_PREFIX = "null_key:"  # + a digest by the engine's own hash function
SIGNIFICANT_DIGITS = 9  # the multiset match's rounding; the leftovers get FLOAT_TOLERANCE


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


def _normal(value: object) -> object:
    """One spelling per value across engines: numbers as float, timestamps naive UTC."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str) and value.startswith(NULL_KEY_PREFIX):
        return NULL_KEY_PREFIX
    if isinstance(value, date):
        return value
    return value


def _match_key(row: tuple) -> tuple:
    return tuple(
        float(f"{value:.{SIGNIFICANT_DIGITS}g}") if isinstance(value, float) else value
        for value in row
    )


def _sort_key(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def _rows_equal(left: tuple, right: tuple) -> bool:
    for a, b in zip(left, right, strict=True):
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE):
                return False
        elif a != b:
            return False
    return True


def _left_over(rows: list[tuple], other_side: list[tuple]) -> list[tuple]:
    """The rows without an equal (rounded) row on the other side, as multisets."""
    remaining = Counter(_match_key(row) for row in other_side)
    left = []
    for row in rows:
        key = _match_key(row)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            left.append(row)
    return sorted(left, key=_sort_key)


def _differences(spark_rows: list[tuple], duck_rows: list[tuple]) -> tuple[int, str | None]:
    spark_only = _left_over(spark_rows, duck_rows)
    duck_only = _left_over(duck_rows, spark_rows)
    # rounding can split two values within the tolerance: pair the leftovers in order
    differences, first = 0, None
    for s_row, d_row in zip(spark_only, duck_only, strict=False):
        if not _rows_equal(s_row, d_row):
            differences += 2
            first = first or f"Spark {s_row} != DuckDB {d_row}"
    paired = min(len(spark_only), len(duck_only))
    for side, rows in (("Spark", spark_only), ("DuckDB", duck_only)):
        differences += len(rows) - paired
        if len(rows) > paired:
            first = first or f"only on {side}: {rows[paired]}"
    return differences, first


def compare_table(spark: Any, duckdb_file: Path, schema: str, table: str) -> TableComparison:
    frame = spark.table(f"{schema}.{table}")
    columns = [c for c in frame.columns if c not in ENGINE_SPECIFIC_COLUMNS]
    # through Arrow: timestamps arrive as UTC instants, whatever the machine's time zone
    arrow = frame.select(*columns).toArrow()
    spark_rows = [tuple(_normal(row[c]) for c in columns) for row in arrow.to_pylist()]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        duck_rows = [
            tuple(_normal(v) for v in row)
            for row in con.execute(f'select {quoted} from "{schema}"."{table}"').fetchall()
        ]
    differences, first = _differences(spark_rows, duck_rows)
    return TableComparison(f"{schema}.{table}", len(duck_rows), len(spark_rows), differences, first)


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
    with duckdb.connect(str(duckdb_file), read_only=True) as con:
        return {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ?", [schema]
            ).fetchall()
        }


def spark_tables(spark: Any, database: str) -> set[str]:
    return {
        row.tableName for row in spark.sql(f"show tables in {database}").collect()
        if not row.isTemporary
    }  # fmt: skip
