"""The hand-built scenario on both engines: every dbt-built mart, the reconciliation and the
quarantine are equal row for row (floats to FLOAT_TOLERANCE).

DuckDB's side is the session's `handbuilt_run` (the nightly job); Spark's side copies the
same raw schemas into a local Spark warehouse of this module (copy-raw) and runs `dbt build`
on the `spark` target there. One Spark build and one reading session per module.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import lead_funnel_cli

pytestmark = pytest.mark.spark

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")

FLOAT_TOLERANCE = 1e-9  # relative; Spark and DuckDB sum doubles in different orders
# the audit tables beside the marts that must agree too (schema, table)
AUDIT_TABLES = (
    ("audit", "reconciliation_raw_rows"),
    ("quarantine", "quarantine_salesforce"),
    ("quarantine", "quarantine_marketo"),
)
# columns that are digests of an engine's own hash function, or the raw row as JSON text
ENGINE_SPECIFIC_COLUMNS = {"raw_row"}
NULL_KEY_PREFIX = "null_key:"


@pytest.fixture(scope="module")
def spark_build(handbuilt_run, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from lead_funnel.spark_engine import run_dbt_on_spark

    assert handbuilt_run["completed"].returncode == 0, handbuilt_run["completed"].stderr[-3000:]
    directory = tmp_path_factory.mktemp("spark_handbuilt")
    warehouse_dir = directory / "spark"
    # as a user would, in its own process: the embedded Derby metastore stays locked by a
    # JVM until that JVM exits, and dbt opens it next
    copied = lead_funnel_cli(
        "copy-raw",
        "--database",
        str(handbuilt_run["database"]),
        "--engine",
        "spark",
        "--warehouse-dir",
        str(warehouse_dir),
    )
    assert copied.returncode == 0, copied.stderr[-3000:]
    completed = run_dbt_on_spark(
        # seeds and models: the data tests on Spark cost ~4 minutes more here (run them with
        # dbt build --target spark); the unit tests' fixtures are DuckDB's
        ["build", "--exclude", "resource_type:test", "resource_type:unit_test"],
        warehouse_dir=warehouse_dir,
        as_of=handbuilt_run["as_of"],
        target_path=directory / "target",
    )
    return {"warehouse_dir": warehouse_dir, "copied": copied, "completed": completed}


@pytest.fixture(scope="module")
def spark(spark_build):
    from lead_funnel.spark_engine import spark_session

    with spark_session(spark_build["warehouse_dir"]) as session:
        yield session


def _normal(value: object) -> object:
    """One spelling per value across engines: numbers as float, timestamps naive."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str) and value.startswith(NULL_KEY_PREFIX):
        return NULL_KEY_PREFIX  # the rest is a digest by the engine's own hash function
    if isinstance(value, date):
        return value
    return value


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


def _compare(spark, duckdb_file: Path, schema: str, table: str) -> tuple[int, list[str]]:
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
    problems = []
    if len(spark_rows) != len(duck_rows):
        problems.append(
            f"{schema}.{table}: {len(spark_rows)} rows on Spark, {len(duck_rows)} on DuckDB"
        )
    for s_row, d_row in zip(
        sorted(spark_rows, key=_sort_key), sorted(duck_rows, key=_sort_key), strict=False
    ):
        if not _rows_equal(s_row, d_row):
            problems.append(f"{schema}.{table}: Spark {s_row} != DuckDB {d_row}")
            break
    return len(duck_rows), problems


def test_spark_build_passes(spark_build):
    completed = spark_build["completed"]
    assert completed.returncode == 0, completed.stdout[-6000:]
    # every raw table of the hand-built file was landed (22 tables, contract section 1)
    assert "copied 22 raw tables" in spark_build["copied"].stdout


def test_marts_equal_on_both_engines(spark_build, spark, handbuilt_run):
    spark_marts = sorted(row.tableName for row in spark.sql("show tables in marts").collect())
    with duckdb.connect(str(handbuilt_run["database"]), read_only=True) as con:
        duck_marts = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
    missing = sorted(set(spark_marts) - duck_marts)
    assert not missing, f"marts built on Spark but not on DuckDB: {missing}"
    assert len(spark_marts) >= 20  # the dbt-built marts of the contract
    compared, problems = [], []
    for table in [("marts", name) for name in spark_marts] + list(AUDIT_TABLES):
        rows, found = _compare(spark, handbuilt_run["database"], *table)
        compared.append((".".join(table), rows))
        problems.extend(found)
    print("compared:", compared)
    assert not problems, "\n".join(problems)
