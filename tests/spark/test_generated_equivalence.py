"""A generated data set (GENERATED_LEADS leads) on Spark, built whole and then incrementally
after a small change to its raw rows, equals DuckDB's full build of the changed data: every
dbt-built mart of the contract, the reconciliation, the quarantine and every incremental
model's rows (floats to FLOAT_TOLERANCE); the incremental Spark build rewrote only the
`_bucket` partitions the change reached.

The hand-built module shows the engines agree on a full build; this one shows Spark's
incremental mechanism (insert_overwrite of `_bucket` partitions) lands where a full build
lands. The Spark builds here are seeds and models: the unit tests do not read the data (they
ran on Spark in the hand-built module) and the data tests read tables that are shown equal
row for row to DuckDB's, where the nightly job ran the same tests on them.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.spark.equivalence import (
    AUDIT_TABLES,
    CONTRACT_MARTS,
    compare_tables,
    copy_raw_to_spark,
    problems,
    spark_tables,
)

# two model builds on Spark and a DuckDB night: 340 s alone on a quiet 2-core machine,
# 488 s beside the DuckDB tests in make test
pytestmark = pytest.mark.spark

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")

GENERATED_LEADS = 5000
GENERATED_DAYS = 90
SEED = 17
MODELS_ONLY = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]


def _land_small_change(database: Path, as_of: str) -> dict[str, str]:
    """A few raw rows a connector lands after the first build: an MQL lead accepted by
    sales, another lead soft-deleted (a re-synced row) and a hand-raise form fill. Returns
    the changed lead ids."""
    synced = f"timestamp '{as_of}' - interval 1 hour"
    with duckdb.connect(str(database)) as con:
        mql_lead, accepted_by = con.execute(
            "select id, owner_id from raw_salesforce.lead where status = 'MQL' order by id limit 1"
        ).fetchone()
        deleted_lead = con.execute(
            "select id from raw_salesforce.lead where status = 'Open - Not Contacted' "
            "and not is_deleted order by id limit 1"
        ).fetchone()[0]
        con.execute(
            f"""
            insert into raw_salesforce.lead_history
            select * replace (
                'LHSPARKEQ1' as id, ? as lead_id, {synced} - interval 1 hour as created_date,
                ? as created_by_id, 'Status' as field, 'MQL' as old_value,
                'Sales Accepted' as new_value, false as is_deleted, {synced} as _fivetran_synced
            )
            from raw_salesforce.lead_history limit 1
            """,
            [mql_lead, accepted_by],
        )
        con.execute(
            f"""
            insert into raw_salesforce.lead
            select * replace ('Sales Accepted' as status, {synced} as _fivetran_synced)
            from raw_salesforce.lead where id = ? qualify row_number() over () = 1
            """,
            [mql_lead],
        )
        con.execute(
            f"""
            insert into raw_salesforce.lead
            select * replace (true as is_deleted, {synced} as _fivetran_synced)
            from raw_salesforce.lead where id = ? qualify row_number() over () = 1
            """,
            [deleted_lead],
        )
        hand_raiser = con.execute(
            "select id from raw_marketo.lead where sfdc_lead_id is not null order by id limit 1"
        ).fetchone()[0]
        con.execute(
            f"""
            insert into raw_marketo.activity_fill_out_form
            select * replace (
                (select max(id) + 1 from raw_marketo.activity_fill_out_form) as id,
                ? as lead_id, {synced} - interval 2 hour as activity_date,
                'Demo Request' as primary_attribute_value, {synced} as _fivetran_synced
            )
            from raw_marketo.activity_fill_out_form limit 1
            """,
            [hand_raiser],
        )
    return {"accepted": mql_lead, "deleted": deleted_lead, "hand_raiser": str(hand_raiser)}


def _partition_writes(warehouse: Path, relations: list[tuple[str, str]], since: float) -> dict:
    """Per incremental table: its `_bucket` partitions and how many hold files written
    after `since` (an insert_overwrite rewrites the partitions it writes, nothing else)."""
    writes = {}
    for schema, table in relations:
        partitions = list((warehouse / f"{schema}.db" / table).glob("_bucket=*"))
        rewritten = [
            p for p in partitions if any(f.stat().st_mtime >= since for f in p.glob("*.parquet"))
        ]
        writes[f"{schema}.{table}"] = {"partitions": len(partitions), "rewritten": len(rewritten)}
    return writes


@pytest.fixture(scope="module")
def generated_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from lead_funnel.run_parameters import RunParameters
    from lead_funnel.settings import PipelineSettings
    from lead_funnel.spark_engine import run_dbt_on_spark
    from lead_funnel_tools.generator import generate
    from orchestration.pipeline import run_pipeline

    directory = tmp_path_factory.mktemp("spark_generated")
    original = directory / "original.duckdb"
    report = generate(
        original,
        leads=GENERATED_LEADS,
        seed=SEED,
        start=date(2025, 1, 1),
        days=GENERATED_DAYS,
        progress=False,
    )
    as_of = report.window_end + timedelta(hours=2)
    changed = directory / "changed.duckdb"
    shutil.copy(original, changed)
    changed_leads = _land_small_change(changed, f"{as_of:%Y-%m-%d %H:%M:%S}")

    warehouse_dir = directory / "spark"
    timings: dict[str, float] = {}

    def spark_build(raw: Path, name: str, *, full_refresh: bool) -> float:
        began = time.time()
        copied = copy_raw_to_spark(raw, warehouse_dir)
        assert copied.returncode == 0, copied.stderr[-3000:]
        copied_at = time.time()
        completed = run_dbt_on_spark(
            MODELS_ONLY,
            warehouse_dir=warehouse_dir,
            as_of=as_of,
            target_path=directory / f"target_{name}",
            full_refresh=full_refresh,
        )
        assert completed.returncode == 0, completed.stdout[-6000:]
        timings[f"spark_{name}_seconds"] = round(time.time() - began, 1)
        return copied_at

    spark_build(original, "full", full_refresh=True)
    incremental_began = spark_build(changed, "incremental", full_refresh=False)

    began = time.time()
    outcome = run_pipeline(
        RunParameters(PipelineSettings.resolve(changed), as_of=as_of), progress=False
    )
    assert outcome.success, "\n".join(outcome.failures)
    timings["duckdb_full_seconds"] = round(time.time() - began, 1)

    manifest = json.loads((directory / "target_incremental" / "manifest.json").read_text())
    incremental = sorted(
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    )
    writes = _partition_writes(warehouse_dir / "warehouse", incremental, incremental_began)
    return {
        "directory": directory,
        "warehouse_dir": warehouse_dir,
        "duckdb": changed,
        "changed_leads": changed_leads,
        "incremental_models": incremental,
        "partition_writes": writes,
        "timings": timings,
    }


@pytest.fixture(scope="module")
def spark(generated_builds):
    from lead_funnel.spark_engine import spark_session

    with spark_session(generated_builds["warehouse_dir"]) as session:
        yield session


def test_the_incremental_build_rewrote_only_the_changed_buckets(generated_builds) -> None:
    writes = generated_builds["partition_writes"]
    print("incremental Spark build:", generated_builds["timings"], json.dumps(writes, indent=1))
    assert len(writes) >= 10  # the staging bases, the lead chain, int_scoring_activities
    # the change reached a few leads: the lead chain rewrote some of its buckets, not all
    chain = writes["intermediate.int_lead_status_changes"]
    assert 0 < chain["rewritten"] < chain["partitions"], chain
    # a table whose inputs did not change kept every partition
    assert writes["staging.base_salesforce__opportunity_field_history"]["rewritten"] == 0


def test_marts_audit_quarantine_and_incremental_models_equal_duckdb(generated_builds, spark):
    database = generated_builds["duckdb"]
    built = spark_tables(spark, "marts")
    assert set(CONTRACT_MARTS) <= built, sorted(set(CONTRACT_MARTS) - built)
    tables = (
        [("marts", name) for name in sorted(built)]
        + list(AUDIT_TABLES)
        + list(generated_builds["incremental_models"])
    )
    results = compare_tables(
        spark, database, tables, Path(generated_builds["directory"]) / "equivalence.json"
    )
    assert not problems(results), "\n".join(problems(results))
    by_table = {r.table: r for r in results}
    assert by_table["marts.dim_leads"].duckdb_rows > GENERATED_LEADS * 0.9
    assert by_table["quarantine.quarantine_salesforce"].duckdb_rows > 0  # the generator's bad rows
    # the changed leads made it: the accepted one is past mql, the deleted one is gone
    with duckdb.connect(str(database), read_only=True) as con:
        stages = dict(
            con.execute(
                "select lead_id, current_stage from marts.dim_leads where lead_id in (?, ?)",
                [
                    generated_builds["changed_leads"]["accepted"],
                    generated_builds["changed_leads"]["deleted"],
                ],
            ).fetchall()
        )
    assert stages == {generated_builds["changed_leads"]["accepted"]: "sal"}
