"""The nightly job's Python steps on Spark, on small hand-made tables (one Spark session):
write-audit-publish (a reader during publication, a full disk at each publish phase), the
invariants from the same rule files, the SLA clock by owner time zone, the missing raw
databases. The whole job through `lead-funnel run --engine spark` is in
test_engine_equivalence.py; the CLI's refusals are in test_spark_run_errors.py."""

from __future__ import annotations

import threading
from datetime import datetime

import pandas as pd
import pytest

from lead_funnel.faults import ACTION_ENV, FAULT_ENV, SPARK_PUBLISH_PHASES

pytestmark = pytest.mark.spark

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")

AS_OF_A = datetime(2025, 3, 1, 2, 0, 0)
AS_OF_B = datetime(2025, 3, 2, 2, 0, 0)


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory):
    from lead_funnel.spark_engine import spark_session

    with spark_session(tmp_path_factory.mktemp("spark_steps") / "spark") as session:
        yield session


def _candidates(spark, rows: int, *, tables: tuple[str, ...] = ("dim_a", "fct_b")) -> None:
    """marts_build holds `rows` rows in each table (a run's candidates)."""
    spark.sql("create database if not exists marts_build")
    for table in tables:
        spark.sql(f"drop table if exists marts_build.{table}")
        spark.sql(
            f"create table marts_build.{table} using parquet as "
            f"select id, 'run{rows}' as run from range({rows})"
        )


def _counts(spark) -> tuple[int, int]:
    row = spark.sql(
        "select (select count(*) from marts.dim_a) as a, (select count(*) from marts.fct_b) as b"
    ).first()
    return int(row.a), int(row.b)


def _reset(spark) -> None:
    from lead_funnel.spark_engine import databases

    for name in databases(spark):
        if name.startswith("marts") or name == "lead_funnel_meta":
            spark.sql(f"drop database {name} cascade")


def test_readers_see_one_whole_publication_while_the_next_is_published(spark, monkeypatch):
    from lead_funnel.spark_publish import current_pointer, publish_marts

    _reset(spark)
    _candidates(spark, 1)
    first = publish_marts(spark, run_id="aaaaaaaa-1", as_of=AS_OF_A)
    assert _counts(spark) == (1, 1)
    assert first.publication == "marts_p20250301020000_aaaaaaaa"

    _candidates(spark, 2)
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.append(_counts(spark))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        second = publish_marts(spark, run_id="bbbbbbbb-2", as_of=AS_OF_B)
    finally:
        done.set()
        thread.join()
    assert seen, "the reader ran during the publication"
    assert set(seen) <= {(1, 1), (2, 2)}, f"a mix of two publications was read: {set(seen)}"
    assert _counts(spark) == (2, 2)
    pointer = current_pointer(spark)
    assert (pointer.publication, pointer.previous) == (second.publication, first.publication)
    assert pointer.as_of == AS_OF_B


@pytest.mark.parametrize("phase", SPARK_PUBLISH_PHASES)
def test_a_publication_failing_at_each_phase_leaves_the_previous_one(spark, monkeypatch, phase):
    """A full disk at the phase (an error the run reports; the SIGKILL at each phase is
    test_spark_publish_killed.py): readers keep the previous publication, the next run rolls
    the leftover back and publishes."""
    from lead_funnel.spark_engine import databases
    from lead_funnel.spark_publish import (
        current_pointer,
        publish_marts,
        recover_interrupted_publication,
    )

    _reset(spark)
    _candidates(spark, 1)
    publish_marts(spark, run_id="aaaaaaaa-1", as_of=AS_OF_A)
    _candidates(spark, 3)
    monkeypatch.setenv(FAULT_ENV, phase)
    monkeypatch.setenv(ACTION_ENV, "disk_full")
    with pytest.raises(OSError):
        publish_marts(spark, run_id="cccccccc-3", as_of=AS_OF_B)
    monkeypatch.delenv(FAULT_ENV)
    assert _counts(spark) == (1, 1)  # readers still see the first publication, whole
    assert current_pointer(spark).publication == "marts_p20250301020000_aaaaaaaa"

    message = recover_interrupted_publication(spark)
    assert message is not None and "marts_p20250302020000_cccccccc dropped" in message
    assert "marts_p20250302020000_cccccccc" not in databases(spark)
    assert _counts(spark) == (1, 1)
    assert recover_interrupted_publication(spark) is None  # nothing left to roll back

    publish_marts(spark, run_id="cccccccc-3", as_of=AS_OF_B)
    assert _counts(spark) == (3, 3)


def test_a_mart_gone_from_the_build_is_no_longer_published(spark):
    from lead_funnel.spark_engine import tables_in
    from lead_funnel.spark_publish import publish_marts

    _reset(spark)
    _candidates(spark, 1)
    publish_marts(spark, run_id="aaaaaaaa-1", as_of=AS_OF_A)
    spark.sql("drop table marts_build.fct_b")
    _candidates(spark, 2, tables=("dim_a",))
    publish_marts(spark, run_id="bbbbbbbb-2", as_of=AS_OF_B)
    assert tables_in(spark, "marts") == ["dim_a"]
    assert spark.sql("select count(*) as n from marts.dim_a").first().n == 2


def test_invariants_run_from_the_same_rule_files_on_spark(spark):
    from data_quality import Status
    from data_quality.spark_runner import run_checks_on_spark

    spark.sql("create database if not exists marts_build")
    spark.sql("drop table if exists marts_build.fct_lead_cycles")
    # L1 has two open cycles (both offend), L2 one open and one closed (both fine)
    spark.sql(
        "create table marts_build.fct_lead_cycles using parquet as select * from values "
        "('c1', 'L1', 1, 'open'), ('c2', 'L1', 2, 'open'), "
        "('c3', 'L2', 1, 'rejected'), ('c4', 'L2', 2, 'open') "
        "as t(cycle_id, lead_id, cycle_number, outcome)"
    )
    report = run_checks_on_spark(
        spark,
        marts_schema="marts_build",
        only_invariants=["lead_has_at_most_one_open_cycle", "funnel_rates_are_fractions"],
    )
    by_name = {result.name: result for result in report.results}
    open_cycles = by_name["lead_has_at_most_one_open_cycle"]
    assert open_cycles.status is Status.FAILED
    assert (open_cycles.unexpected_count, open_cycles.checked_count) == (2, 3)
    assert [row["cycle_id"] for row in open_cycles.sample_rows] == ["c1", "c2"]
    assert open_cycles.failed_rows_table == "audit.failed_lead_has_at_most_one_open_cycle"
    kept = spark.sql("select cycle_id from audit.failed_lead_has_at_most_one_open_cycle")
    assert sorted(row.cycle_id for row in kept.collect()) == ["c1", "c2"]
    # a relation the build lacks: skipped with the reason, never an exception
    rates = by_name["funnel_rates_are_fractions"]
    assert rates.status is Status.SKIPPED
    assert rates.message == "relation marts_build.fct_funnel_by_source does not exist"


def test_the_sla_clock_runs_per_owner_time_zone_on_spark(spark):
    """Hand-worked: an MQL Monday 2025-03-03 16:00 New York (21:00 UTC) with 8 working hours
    is due Tuesday 16:00 New York = 21:00 UTC; unmet at the Wednesday as-of: an open breach,
    8 working hours late at Wednesday 21:00 UTC (16:00 New York). The Berlin one, started
    Monday 10:00 Berlin (09:00 UTC), met at 12:00 Berlin, is on time."""
    from lead_funnel.sla.breaches import evaluate_slas
    from lead_funnel.sla.spark_clock import write_sla_tables_on_spark

    for database in ("intermediate", "seeds"):
        spark.sql(f"create database if not exists {database}")
    spark.sql("drop table if exists intermediate.int_sla_clock_starts")
    spark.sql(
        "create table intermediate.int_sla_clock_starts using parquet as select "
        "cycle_id, lead_id, owner_id, sla, entry_lane, time_zone, "
        "cast(started_at as timestamp) as started_at, within_working_hours, "
        "cast(null as timestamp) as deadline_at, cast(met_at as timestamp) as met_at, "
        "cast(null as int) as attempts_made, cast(null as int) as attempts_required "
        "from values "
        "('c1', 'L1', 'U1', 'sal_review', 'score', 'America/New_York', "
        "'2025-03-03 21:00:00', 8.0, null), "
        "('c2', 'L2', 'U2', 'sal_review', 'manual', 'Europe/Berlin', "
        "'2025-03-03 09:00:00', 8.0, '2025-03-03 11:00:00') "
        "as t(cycle_id, lead_id, owner_id, sla, entry_lane, time_zone, started_at, "
        "within_working_hours, met_at)"
    )
    spark.sql("drop table if exists seeds.business_hours")
    spark.sql(
        "create table seeds.business_hours using parquet as select * from values "
        "('*', '09:00', '17:00', 'Mon Tue Wed Thu Fri') as t(time_zone, work_start, work_end, weekmask)"
    )
    spark.sql("drop table if exists seeds.holidays")
    spark.sql(
        "create table seeds.holidays using parquet as select cast(holiday_date as date) "
        "as holiday_date, holiday_name, time_zone from values ('2025-12-25', 'Christmas', '*') "
        "as t(holiday_date, holiday_name, time_zone)"
    )
    as_of = datetime(2025, 3, 5, 21, 0, 0)
    summary = write_sla_tables_on_spark(
        spark,
        source_relation="intermediate.int_sla_clock_starts",
        business_hours_relation="seeds.business_hours",
        holidays_relation="seeds.holidays",
        target_schema="marts_build",
        as_of=as_of,
    )
    assert summary["evaluations"] == 2
    assert (summary["breaches"], summary["open_breaches"]) == (1, 1)
    breach = spark.sql("select * from marts_build.fct_sla_breaches").toPandas()
    assert breach["cycle_id"].tolist() == ["c1"]
    assert breach["due_at"].iloc[0] == pd.Timestamp("2025-03-04 21:00:00")
    assert breach["status"].iloc[0] == "open"
    assert breach["hours_late"].iloc[0] == pytest.approx(8.0)
    evaluations = spark.sql(
        "select cycle_id, state, due_at from marts_build.fct_sla_evaluations order by cycle_id"
    ).toPandas()
    assert evaluations["state"].tolist() == ["breached_open", "met_on_time"]
    # 10:00-17:00 Berlin is 7 hours, the 8th ends Tuesday 10:00 Berlin (09:00 UTC)
    assert evaluations["due_at"].iloc[1] == pd.Timestamp("2025-03-04 09:00:00")
    # the same rows through the DuckDB path's function, in one process: the same answer
    local = evaluate_slas(
        spark.table("intermediate.int_sla_clock_starts").toPandas(),
        spark.table("seeds.business_hours").toPandas(),
        spark.table("seeds.holidays").toPandas(),
        as_of,
    ).sort_values("cycle_id")
    assert local["due_at"].tolist() == evaluations["due_at"].tolist()


def test_absent_raw_databases_are_named(spark):
    from lead_funnel.spark_engine import SparkEngineError, require_raw_databases

    with pytest.raises(SparkEngineError, match=r"has no table raw_salesforce\.lead") as raised:
        require_raw_databases(spark, {"salesforce": "raw_salesforce", "marketo": "raw_marketo"})
    assert "lead-funnel copy-raw --database FILE --engine spark" in str(raised.value)
