"""A new user's first contact (issue 19): `lead-funnel doctor` reads a warehouse without
building anything and says what will and will not map; `lead-funnel generate` never drops
raw schemas someone else wrote; the gate's rules weigh what each signal means."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from lead_funnel.gate import apply_acceptance, evaluate
from lead_funnel_tools.generator import generate
from tests.conftest import lead_funnel_cli, query


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("first-run") / "generated.duckdb"
    generate(database, leads=300, seed=11, start=date(2025, 1, 1), days=60, progress=False)
    return database


def test_generate_refuses_raw_schemas_it_did_not_write_unless_forced(tmp_path: Path) -> None:
    """Case 5: on an Olist copy, generate replaced 8,000 real leads."""
    database = tmp_path / "real.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw_salesforce")
        con.execute(
            "create table raw_salesforce.lead as select 'real-' || i as id from range(8000) t(i)"
        )

    refused = lead_funnel_cli("generate", "--database", str(database), "--leads", "50", "--quiet")

    assert refused.returncode == 2
    assert (
        f"lead-funnel generate FAILED: {database} already holds raw_salesforce (1 tables, "
        "~8,000 rows), not written by lead-funnel generate (no lead_funnel_generator.state): "
        "generating would drop them. Use another --database for demo data, or add --force"
    ) in refused.stderr
    assert query(database, "select count(*) from raw_salesforce.lead where id like 'real-%'") == [
        (8000,)
    ]

    forced = lead_funnel_cli(
        "generate",
        "--database",
        str(database),
        "--leads",
        "50",
        "--days",
        "10",
        "--quiet",
        "--force",
    )
    assert forced.returncode == 0, forced.stderr
    assert query(database, "select count(*) from raw_salesforce.lead where id like 'real-%'") == [
        (0,)
    ]
    # what generate wrote it may replace again (`make run` generates on every call)
    again = lead_funnel_cli(
        "generate", "--database", str(database), "--leads", "50", "--days", "10", "--quiet"
    )
    assert again.returncode == 0, again.stderr


def test_doctor_reports_columns_types_and_picklists_and_suggests_seed_rows(
    small_warehouse: Path, tmp_path: Path
) -> None:
    database = tmp_path / "renamed.duckdb"
    database.write_bytes(small_warehouse.read_bytes())
    with duckdb.connect(str(database)) as con:
        # a renamed picklist, a connector's number format, a column the export lacks
        con.execute("update raw_salesforce.lead set status = 'Lead - ' || status")
        con.execute(
            "update raw_salesforce.lead_history set old_value = 'Lead - ' || old_value, "
            "new_value = 'Lead - ' || new_value where field = 'Status'"
        )
        con.execute("alter table raw_salesforce.lead alter number_of_employees type varchar")
        con.execute(
            "update raw_salesforce.lead set number_of_employees = '1,646' "
            "where id in (select id from raw_salesforce.lead order by id limit 7)"
        )
        con.execute("alter table raw_salesforce.lead drop column bant_budget_c")
        leads = con.execute("select count(*) from raw_salesforce.lead").fetchone()[0]
    output_dir = tmp_path / "doctor"

    completed = lead_funnel_cli("doctor", "--database", str(database), "--output", str(output_dir))

    out = completed.stdout
    assert completed.returncode == 1, completed.stderr
    assert f"    lead: {leads:,} rows; missing columns: bant_budget_c" in out
    assert (
        "number_of_employees is VARCHAR, declared INTEGER: 7 values will not cast "
        "(quarantined as unparseable:number_of_employees), e.g. '1,646'"
    ) in out
    status_section = out.split("Lead status (")[1].split("\n\n")[0]
    first_value = status_section.splitlines()[1]
    assert first_value.split()[0] == "UNMAPPED"  # unmapped first
    assert "'Lead - MQL'" in status_section
    assert "Fix before the first run:" in out and "the data gate refuses to publish past 20%" in out
    with (output_dir / "lead_status_map.suggested.csv").open() as handle:
        suggested = {row["status_value"]: row["stage"] for row in csv.DictReader(handle)}
    assert suggested["Lead - MQL"] == "mql"
    assert suggested["Lead - Sales Accepted"] == "sal"
    assert suggested["Lead - Converted"] == "opportunity"
    # the form names: listed ones are hand raises, the others not
    assert "demo" in out.split("Form name (")[1] and "not a hand raise" in out
    # nothing was built: doctor only reads
    assert query(
        database, "select count(*) from duckdb_schemas() where schema_name = 'staging'"
    ) == [(0,)]


def _gate_database(
    path: Path, *, leads: int, unmapped_sources: int, unmapped_statuses: int
) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema intermediate")
        con.execute("create schema audit")
        con.execute(
            "create table intermediate.int_lead_attributes as select i, "
            "not (i < ?) as is_channel_mapped from range(?) t(i)",
            [unmapped_sources, leads],
        )
        con.execute(
            "create table intermediate.int_lead_status_changes as select i, "
            "not (i < ?) as is_stage_mapped from range(?) t(i)",
            [unmapped_statuses, leads],
        )
        con.execute(
            "create table audit.unmapped_values (picklist varchar, picklist_value varchar, "
            "rows_affected bigint)"
        )
        con.execute(
            "insert into audit.unmapped_values values ('lead_source', 'Podcast', ?), "
            "('status', 'Fresh', ?)",
            [unmapped_sources, unmapped_statuses],
        )


def test_unmapped_statuses_block_unmapped_sources_only_warn_and_small_tables_are_not_judged(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.duckdb"
    _gate_database(big, leads=1000, unmapped_sources=500, unmapped_statuses=300)
    with duckdb.connect(str(big)) as con:
        findings = {f.name: f for f in evaluate(con, datetime(2025, 5, 1))}
    status, source = findings["unmapped_share:status"], findings["unmapped_share:lead_source"]
    assert (status.value, status.passed, status.blocks) == (0.3, False, True)
    assert (source.value, source.passed, source.blocks, source.warns) == (0.5, False, False, True)
    assert "300 of 1,000 status changes (30.0%)" in status.message
    apply_acceptance([status], {"unmapped_share"})
    assert status.accepted and not status.blocks

    # one bad row in a 13-row table never blocks: under min_rows the share is not judged
    small = tmp_path / "small.duckdb"
    _gate_database(small, leads=13, unmapped_sources=13, unmapped_statuses=13)
    with duckdb.connect(str(small)) as con:
        findings = {f.name: f for f in evaluate(con, datetime(2025, 5, 1))}
    assert findings["unmapped_share:status"].value is None
    assert findings["unmapped_share:status"].passed


@pytest.mark.slow
def test_the_handbuilt_scenario_passes_the_gate(handbuilt_run) -> None:  # type: ignore[no-untyped-def]
    assert handbuilt_run["completed"].returncode == 0
    rows = query(
        handbuilt_run["database"],
        "select rule, subject, passed from lead_funnel_meta.gate_results where not passed",
    )
    assert rows == []
    assert "Audit:" in handbuilt_run["completed"].stdout


def test_a_lock_held_by_a_leftover_dbt_build_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    from lead_funnel.warehouse import WarehouseLockedError, connect

    database = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(database)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(database)!r}); "
            "print('open', flush=True); time.sleep(60)",
            "dbt",
            "build",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseLockedError) as raised, connect(database):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert f"process {holder.pid} (python -c import duckdb" in str(raised.value)
    assert (
        "holds it; a dbt build (of an interrupted lead-funnel run, or started by hand): "
        f"let it finish or stop it with `kill {holder.pid}`, then run again."
    ) in str(raised.value)


def test_an_as_of_far_past_the_data_blocks_and_one_inside_it_passes(tmp_path: Path) -> None:
    database = tmp_path / "leads.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw_salesforce")
        con.execute(
            "create table raw_salesforce.lead as select 'L' || i as id, "
            "timestamp '2025-01-01 00:00:00' + i * interval 1 day as created_date from range(100) t(i)"
        )
        late = {f.rule: f for f in evaluate(con, datetime(2026, 6, 10))}
        inside = {f.rule: f for f in evaluate(con, datetime(2025, 3, 1))}
    # the last lead was created 2025-04-10; 2026-06-10 is 426 days later (threshold 365)
    after = late["as_of_after_data"]
    assert (after.value, after.passed, after.blocks) == (426.0, False, True)
    assert "lies 426.0 days after the last lead was created (2025-04-10 00:00:00" in after.message
    assert late["as_of_before_data"].passed
    assert inside["as_of_after_data"].passed and inside["as_of_before_data"].passed
