"""The stage-definition invariants on Spark: the same ``rules/*.sql`` files, run with spark.sql.

Placeholders resolve to Spark databases and tables (`marts_build`.`fct_lead_cycles`, ...);
each invariant's frame stays on Spark: the offending rows are counted, sampled and kept in
``<audit>.failed_<rule>`` there, the per-group breakdown is a Spark aggregate, and only the
``holds`` column of the applicable rows (one boolean per checked entity) reaches GX, which
validates it with the same suites and expectations as the DuckDB path
(``data_quality.gx_runtime``). The result is the same ``CheckReport``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from data_quality import gx_runtime
from data_quality.invariant import HOLDS_COLUMN, Invariant, QueryContext, SchemaRole, Setting
from data_quality.invariants import select_invariants
from data_quality.report import SAMPLE_SIZE, CheckReport, InvariantResult, Status
from data_quality.runner import _json_row, _not_evaluated
from data_quality.warehouse import SETTINGS_RELATION, SETTINGS_SCHEMA_ROLE, Catalog
from lead_funnel.run_parameters import parse_as_of

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# Spark's analyser names a column the query reads that no relation has
_UNRESOLVED_COLUMN = re.compile(r"name `?([A-Za-z_][A-Za-z0-9_]*)`? cannot be resolved", re.I)


def spark_qualified(schema: str, relation: str) -> str:
    return f"`{schema}`.`{relation}`"


@dataclass
class SparkCatalog(Catalog):
    """The Catalog's look-ups (relations, columns, settings) answered by a Spark session."""

    con: Any  # a SparkSession
    schemas: dict[SchemaRole, str]
    _tables: dict[str, set[str]] = field(default_factory=dict)

    def columns(self, schema: str, relation: str) -> tuple[str, ...] | None:
        key = (schema, relation)
        if key not in self._columns:
            if schema.lower() not in self._tables:
                from lead_funnel.spark_engine import tables_in

                self._tables[schema.lower()] = set(tables_in(self.con, schema))
            if relation.lower() in self._tables[schema.lower()]:
                columns = self.con.table(spark_qualified(schema, relation)).columns
                self._columns[key] = tuple(name.lower() for name in columns)
            else:
                self._columns[key] = None
        return self._columns[key]

    def setting(self, setting: Setting) -> float | None:
        if setting not in self._settings:
            schema = self.schemas[SETTINGS_SCHEMA_ROLE]
            found = self.columns(schema, SETTINGS_RELATION)
            value = None
            if found is not None and setting.name.lower() in found:
                rows = self.con.sql(
                    f"select cast(`{setting.name}` as double) as value "
                    f"from {spark_qualified(schema, SETTINGS_RELATION)}"
                ).collect()
                value = rows[0][0] if len(rows) == 1 else None
            self._settings[setting] = value
        return self._settings[setting]

    def qualify(self, schema: str, relation: str) -> str:
        return spark_qualified(schema, relation)

    def missing_column(self, invariant: Invariant, error: Exception) -> str | None:  # type: ignore[override]
        found = _UNRESOLVED_COLUMN.search(str(error))
        if found is None:
            return None
        column = found.group(1).lower()
        for reads in invariant.reads:
            schema = self.schemas[reads.schema_role]
            if column not in (self.columns(schema, reads.relation) or ()):
                return f"{schema}.{reads.relation} lacks column(s) {column}"
        return None


@dataclass
class _Evaluated:
    invariant: Invariant
    applicable: DataFrame
    holds: pd.Series
    seconds: float


def _frame(spark: SparkSession, invariant: Invariant, sql: str) -> DataFrame:
    """Key columns, evidence columns (query order), ``holds`` as boolean; applicable rows only."""
    from pyspark.sql import functions as F

    frame = spark.sql(sql)
    names = [name.lower() for name in frame.columns]
    missing = [name for name in (*invariant.key_columns, HOLDS_COLUMN) if name not in names]
    if missing:
        raise ValueError(f"query of {invariant.name} lacks column(s) {', '.join(missing)}")
    evidence = [n for n in names if n not in invariant.key_columns and n != HOLDS_COLUMN]
    ordered = [F.col(f"`{name}`") for name in (*invariant.key_columns, *evidence)]
    return frame.select(*ordered, F.col(HOLDS_COLUMN).cast("boolean").alias(HOLDS_COLUMN)).where(
        F.col(HOLDS_COLUMN).isNotNull()
    )


def run_checks_on_spark(
    spark: SparkSession,
    *,
    marts_schema: str = "marts",
    audit_schema: str = "audit",
    seeds_schema: str = "seeds",
    intermediate_schema: str = "intermediate",
    as_of: datetime | None = None,
    data_docs_dir: Path | None = None,
    only_invariants: Iterable[str] | None = None,
    store_failures: bool = True,
) -> CheckReport:
    """``data_quality.run_checks`` on Spark (same rules, results and GX suites)."""
    from pyspark.errors import PySparkException

    started = time.perf_counter()
    run_time = datetime.now(UTC)
    invariants = select_invariants(names=only_invariants)
    schemas: dict[SchemaRole, str] = {
        "marts": marts_schema,
        "audit": audit_schema,
        "seeds": seeds_schema,
        "intermediate": intermediate_schema,
    }
    as_of_utc = None if as_of is None else parse_as_of(as_of)
    catalog = SparkCatalog(spark, schemas)
    results: dict[str, InvariantResult] = {}
    evaluated: list[_Evaluated] = []
    for invariant in invariants:
        began = time.perf_counter()
        prepared = catalog.prepare(invariant, QueryContext({}, {}, as_of_utc))
        if isinstance(prepared, str):
            results[invariant.name] = _not_evaluated(invariant, Status.SKIPPED, prepared)
            continue
        try:
            applicable = _frame(spark, invariant, invariant.query(prepared)).cache()
            holds = applicable.select(HOLDS_COLUMN).toArrow()[HOLDS_COLUMN]
        except (PySparkException, ValueError) as error:
            missing = catalog.missing_column(invariant, error)
            status = Status.ERROR if missing is None else Status.SKIPPED
            results[invariant.name] = _not_evaluated(invariant, status, missing or str(error))
            continue
        series = pd.Series(holds.to_numpy(zero_copy_only=False), dtype="boolean")
        evaluated.append(_Evaluated(invariant, applicable, series, time.perf_counter() - began))
    queried = time.perf_counter()

    session = gx_runtime.GxSession(data_docs_dir, run_time)
    marts: dict[str, list[_Evaluated]] = {}
    for item in evaluated:
        marts.setdefault(item.invariant.mart, []).append(item)
    outcomes: dict[str, gx_runtime.ExpectationOutcome] = {}
    for mart, items in marts.items():
        batch = gx_runtime.mart_batch({item.invariant.name: item.holds for item in items})
        outcomes.update(session.validate_mart(mart, [item.invariant for item in items], batch))
    validated = time.perf_counter()

    checked_at = run_time.replace(tzinfo=None)
    for item in evaluated:
        results[item.invariant.name] = _result(
            spark,
            item,
            outcomes[item.invariant.name],
            audit_schema if store_failures else None,
            checked_at,
        )
        item.applicable.unpersist()
    data_docs_index = session.build_data_docs()
    finished = time.perf_counter()
    return CheckReport(
        results=tuple(results[invariant.name] for invariant in invariants),
        as_of=as_of_utc,
        data_docs_index=data_docs_index,
        failed_rows_schema=audit_schema if store_failures else None,
        timings={
            "queries": queried - started,
            "gx_validation": validated - queried,
            "failed_rows_and_data_docs": finished - validated,
            "total": finished - started,
        },
    )


def _result(
    spark: SparkSession,
    item: _Evaluated,
    outcome: gx_runtime.ExpectationOutcome,
    audit_schema: str | None,
    checked_at: datetime,
) -> InvariantResult:
    from pyspark.sql import functions as F

    invariant = item.invariant
    failing = item.applicable.where(~F.col(HOLDS_COLUMN)).drop(HOLDS_COLUMN)
    failing = failing.orderBy(*invariant.key_columns)
    failed_table = None
    if audit_schema is not None:
        failed_table = _replace_failed_rows(
            spark, audit_schema, invariant.name, failing, checked_at
        )
    if outcome.exception is not None:
        status, message = (
            Status.ERROR,
            f"GX could not evaluate the expectation: {outcome.exception}",
        )
    else:
        status, message = (Status.PASSED if outcome.success else Status.FAILED), None
    sample = [row.asDict() for row in failing.limit(SAMPLE_SIZE).collect()]
    return InvariantResult(
        name=invariant.name,
        severity=invariant.severity,
        mart=invariant.mart,
        status=status,
        description=invariant.description,
        unexpected_count=outcome.unexpected_count,
        checked_count=outcome.checked_count,
        unexpected_percent=outcome.unexpected_percent,
        sample_rows=tuple(_json_row(row) for row in sample),
        failed_rows_table=failed_table,
        group_by=invariant.group_by,
        breakdown=_breakdown(item.applicable, invariant.group_by) if sample else {},
        message=message,
        seconds=item.seconds,
    )


def _replace_failed_rows(
    spark: SparkSession, schema: str, name: str, failing: DataFrame, checked_at: datetime
) -> str | None:
    """``<schema>.failed_<rule>`` replaced by the failing rows; dropped when there are none."""
    from pyspark.sql import functions as F

    from data_quality.warehouse import failed_table_name

    table = f"`{schema}`.`{failed_table_name(name)}`"
    spark.sql(f"create database if not exists `{schema}`")
    spark.sql(f"drop table if exists {table}")
    if failing.limit(1).count() == 0:
        return None
    stamped = failing.withColumn("checked_at", F.lit(checked_at).cast("timestamp"))
    stamped.write.format("parquet").saveAsTable(f"{schema}.{failed_table_name(name)}")
    return f"{schema}.{failed_table_name(name)}"


def _breakdown(frame: DataFrame, group_by: str | None) -> dict[str, dict[str, int]]:
    if group_by is None:
        return {}
    from pyspark.sql import functions as F

    rows = (
        frame.groupBy(F.coalesce(F.col(group_by).cast("string"), F.lit("(none)")).alias("group"))
        .agg(
            F.sum((~F.col(HOLDS_COLUMN)).cast("int")).alias("offending"),
            F.count(F.lit(1)).alias("checked"),
        )
        .where("offending > 0")
        .collect()
    )
    return {
        str(row.group): {"offending": int(row.offending), "checked": int(row.checked)}
        for row in rows
    }
