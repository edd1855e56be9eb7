"""One process's part of the Spark publication kill test (test_spark_publish_killed.py).

`python -m tests.spark.publish_kill WAREHOUSE_DIR [PHASE]` opens the warehouse, reports what
a reader of `marts` sees and rolls back what an earlier killed run left (as the next run's
preflight does), publishes the pending candidates, then stages a run of `rows + 1` rows and
publishes it with LEAD_FUNNEL_FAULT_AT=PHASE and LEAD_FUNNEL_FAULT_ACTION=kill, so the
process is SIGKILLed (JVM and all) in the middle of that phase. The JSON line it prints
before the kill is what the test reads.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from lead_funnel.faults import ACTION_ENV, FAULT_ENV

TABLES = ("dim_a", "fct_b")
FIRST_AS_OF = datetime(2025, 3, 1, 2, 0, 0)


def stage_candidates(spark, rows: int) -> None:  # type: ignore[no-untyped-def]
    """marts_build holds `rows` rows in each table: one run's audited candidates."""
    spark.sql("create database if not exists marts_build")
    for table in TABLES:
        spark.sql(f"drop table if exists marts_build.{table}")
        spark.sql(
            f"create table marts_build.{table} using parquet as "
            f"select id, 'run{rows}' as run from range({rows})"
        )


def seen_by_readers(spark) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from lead_funnel.spark_publish import current_pointer

    if "marts" not in {row[0] for row in spark.sql("show databases").collect()}:
        return {"counts": None, "runs": None, "publication": None}
    counts = [spark.sql(f"select count(*) from marts.{t}").first()[0] for t in TABLES]
    runs = sorted(
        {r.run for t in TABLES for r in spark.sql(f"select run from marts.{t}").collect()}
    )
    return {"counts": counts, "runs": runs, "publication": current_pointer(spark).publication}


def main(warehouse_dir: Path, phase: str | None) -> None:
    from lead_funnel.spark_engine import databases, spark_session
    from lead_funnel.spark_publish import (
        current_pointer,
        publish_marts,
        recover_interrupted_publication,
    )

    with spark_session(warehouse_dir) as spark:
        state: dict[str, object] = {"before_recovery": seen_by_readers(spark)}
        state["recovered"] = recover_interrupted_publication(spark)
        state["after_recovery"] = seen_by_readers(spark)
        # the run the kill interrupted publishes now (or, the first time, the first run)
        pending = (
            int(spark.sql("select count(*) from marts_build.dim_a").first()[0])
            if ("marts_build" in databases(spark))
            else 1
        )
        if "marts_build" not in databases(spark):
            stage_candidates(spark, pending)
        as_of = FIRST_AS_OF + timedelta(days=pending)
        publish_marts(spark, run_id=f"{pending:08x}-run", as_of=as_of)
        state["republished"] = seen_by_readers(spark)
        state["databases"] = sorted(d for d in databases(spark) if d.startswith("marts_p"))
        if phase is None:
            print(json.dumps(state), flush=True)
            return
        stage_candidates(spark, pending + 1)
        print(json.dumps(state), flush=True)
        os.environ[FAULT_ENV], os.environ[ACTION_ENV] = phase, "kill"
        publish_marts(spark, run_id=f"{pending + 1:08x}-run", as_of=as_of + timedelta(days=1))
        print(json.dumps({"not_killed": current_pointer(spark).publication}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
