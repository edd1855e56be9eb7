"""The working-hours SLA clock on Spark, distributed by owner time zone.

The clock starts stay on the executors: they are grouped by `time_zone` (and a slice of the
cycles, so a big zone spreads over the cores) and every group runs
the same `evaluate_slas` the DuckDB path runs (`applyInPandas`), with the two small calendar
seeds (business hours, holidays) shipped to every task. Only the breaches' few summary columns
come back to the driver (for the run's alert and metadata). `evaluate_slas` works row by row,
so grouping by zone changes nothing but where a row is computed.

The two tables are written into the build database one after the other (Parquet has no
transaction across tables); they are candidates there, published only after the audit, so a
failure between them fails the run and publishes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

import pandas as pd

from lead_funnel.run_parameters import parse_as_of
from lead_funnel.sla.breaches import (
    BREACH_COLUMNS,
    CLOCK_START_COLUMNS,
    COUNT_INPUTS,
    EVALUATION_SCHEMA,
    STATES,
    TIMESTAMP_INPUTS,
    evaluate_slas,
    summarise,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

SPARK_TYPES = {"VARCHAR": "string", "TIMESTAMP": "timestamp", "DOUBLE": "double", "INTEGER": "int"}
GROUP_COLUMN = "time_zone"


def evaluation_ddl() -> str:
    """fct_sla_evaluations' columns as a Spark DDL schema (the DuckDB path's types)."""
    return ", ".join(f"`{name}` {SPARK_TYPES[kind]}" for name, kind in EVALUATION_SCHEMA.items())


def _clock_start_select(spark: SparkSession, relation: str) -> DataFrame:
    present = {name.lower() for name in spark.table(relation).columns}
    expressions = []
    for name in CLOCK_START_COLUMNS:
        if name in TIMESTAMP_INPUTS:
            expressions.append(f"cast(`{name}` as timestamp) as `{name}`")
        elif name == "within_working_hours":
            expressions.append(f"cast(`{name}` as double) as `{name}`")
        elif name in COUNT_INPUTS:
            column = f"`{name}`" if name in present else "null"
            expressions.append(f"cast({column} as int) as `{name}`")
        else:
            expressions.append(f"cast(`{name}` as string) as `{name}`")
    return spark.sql(f"select {', '.join(expressions)} from {relation}")


def evaluate_on_spark(
    spark: SparkSession,
    *,
    source_relation: str,
    business_hours: pd.DataFrame,
    holidays: pd.DataFrame,
    as_of: dt.datetime | str,
) -> DataFrame:
    """Every clock start evaluated as of `as_of`, in groups of one owner time zone (the
    calendar of a group) and one slice of its cycles."""
    from pyspark.sql import functions as F

    fixed_as_of = parse_as_of(as_of)

    def evaluate_zone(frame: pd.DataFrame) -> pd.DataFrame:
        return evaluate_slas(frame, business_hours, holidays, fixed_as_of)

    clock_starts = _clock_start_select(spark, source_relation)
    # a zone's starts are split in slices by cycle: one zone of a big team is more rows than
    # one task should hold, and a cluster has more cores than there are time zones
    slices = max(1, spark.sparkContext.defaultParallelism * 2)
    slice_of_cycle = F.expr(f"pmod(hash(cycle_id), {slices})")
    return clock_starts.groupBy(GROUP_COLUMN, slice_of_cycle).applyInPandas(
        evaluate_zone, evaluation_ddl()
    )


def write_sla_tables_on_spark(
    spark: SparkSession,
    *,
    source_relation: str,
    business_hours_relation: str,
    holidays_relation: str,
    target_schema: str,
    as_of: dt.datetime | str,
) -> dict[str, Any]:
    """Evaluate on the executors and write `<target_schema>.fct_sla_evaluations` and
    `.fct_sla_breaches` (Parquet); returns the same summary as the DuckDB path."""
    began = time.perf_counter()
    business_hours = spark.sql(
        "select cast(time_zone as string) as time_zone, cast(work_start as string) as work_start, "
        "cast(work_end as string) as work_end, cast(weekmask as string) as weekmask "
        f"from {business_hours_relation}"
    ).toPandas()
    holidays = spark.sql(
        "select cast(holiday_date as date) as holiday_date, "
        "cast(holiday_name as string) as holiday_name, cast(time_zone as string) as time_zone "
        f"from {holidays_relation}"
    ).toPandas()
    read_done = time.perf_counter()
    spark.sql(f"create database if not exists {target_schema}")
    evaluations_table = f"{target_schema}.fct_sla_evaluations"
    breaches_table = f"{target_schema}.fct_sla_breaches"
    evaluated = evaluate_on_spark(
        spark,
        source_relation=source_relation,
        business_hours=business_hours,
        holidays=holidays,
        as_of=as_of,
    )
    evaluated.write.mode("overwrite").format("parquet").saveAsTable(evaluations_table)
    breach_columns = ", ".join(f"`{name}`" for name in BREACH_COLUMNS)
    spark.sql(
        f"select {breach_columns} from {evaluations_table} where status in ('open', 'closed')"
    ).write.mode("overwrite").format("parquet").saveAsTable(breaches_table)
    written = time.perf_counter()
    states = {
        row.state: int(row.n)
        for row in spark.sql(
            f"select state, count(*) as n from {evaluations_table} group by state"
        ).collect()
    }
    breaches = spark.sql(
        f"select breach_id, sla, status, owner_id, hours_late from {breaches_table}"
    ).toPandas()
    seconds = {
        "read": read_done - began,
        "evaluate": written - read_done,  # evaluated while written (one Spark job)
        "write": 0.0,
        "total": time.perf_counter() - began,
    }
    summary = summarise(
        pd.DataFrame({"state": pd.Series([], dtype="str")}),
        breaches,
        pd.Timestamp(parse_as_of(as_of)),
        seconds,
    )
    summary["evaluations"] = sum(states.values())
    summary["states"] = {state: states.get(state, 0) for state in STATES}
    summary["target_schema"] = target_schema
    return summary
