"""Input as real connectors land it, and input meant to break things (issue 19, part B):

* text timestamps with offsets and numbers with thousands separators parse, and a type change
  in a raw table re-classifies it in full, incremental or not (on generated data);
* a re-synced null-key row is a duplicate, and a row synced "behind the watermark" is
  classified (on the hand-built scenario);
* rows staging holds that raw no longer has fail the build with what to run;
* a schema name that is not an identifier is refused before anything runs.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel.run_parameters import RunParameters
from lead_funnel.settings import InvalidNameError, PipelineSettings, checked_identifier
from lead_funnel_tools.compare import table_differences
from lead_funnel_tools.raw_writer import write_raw_tables
from tests.conftest import lead_funnel_cli, query

pytestmark = pytest.mark.slow


def _copy_warehouse(source: Path, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "warehouse.duckdb"
    shutil.copyfile(source, target)
    return target


def _run(database: Path, as_of: datetime, *, full_refresh: bool = False) -> Any:
    from orchestration.pipeline import run_pipeline

    parameters = RunParameters(
        PipelineSettings.resolve(database), as_of=as_of, full_refresh=full_refresh
    )
    outcome = run_pipeline(parameters, progress=False)
    assert outcome.success, "\n".join(outcome.failures)
    return outcome


def _marts_differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Per published mart: rows only in left, rows only in right (multiset difference)."""
    return {
        name.removeprefix("marts."): (only_left, only_right)
        for name, (_, only_left, only_right) in table_differences(left, right).items()
    }


QUARANTINE_COUNTS = (
    "select source_name, table_name, reason, count(*) from ("
    " select source_name, table_name, reason from quarantine.quarantine_salesforce"
    " union all select source_name, table_name, reason from quarantine.quarantine_marketo)"
    " group by all order by all"
)
WON = "select count(*) from marts.fct_lead_cycles where outcome = 'won'"

# Salesforce leads re-landed as text, the way a CSV export or another connector lands them:
# every second created_date with a +02:00 offset (the same instant: local time two hours
# ahead), the others naive ISO text (UTC); employee counts with a comma or a space as the
# thousands separator.
RELAND_LEADS_AS_TEXT = """
create or replace table raw_salesforce.lead as
select * replace (
    case when row_number() over (order by id, _fivetran_synced) % 2 = 0
        then strftime(created_date + interval 2 hour, '%Y-%m-%dT%H:%M:%S') || '+02:00'
        else strftime(created_date, '%Y-%m-%dT%H:%M:%S')
    end as created_date,
    case when row_number() over (order by id, _fivetran_synced) % 3 = 0
        then replace(format('{:,}', number_of_employees), ',', ' ')
        else format('{:,}', number_of_employees)
    end as number_of_employees
)
from raw_salesforce.lead
"""


def test_leads_landed_as_text_publish_the_same_marts_incrementally_and_in_full(
    generated_run: dict[str, Any], tmp_path: Path
) -> None:
    typed = generated_run["database"]
    typed_serve = typed.with_name("warehouse.serve.duckdb")
    database = _copy_warehouse(typed, tmp_path / "text")
    with duckdb.connect(str(database)) as con:
        con.execute(RELAND_LEADS_AS_TEXT)
        offsets, separators = con.execute(
            "select count(*) filter (where created_date like '%+02:00'),"
            " count(*) filter (where number_of_employees similar to '.*[, ].*')"
            " from raw_salesforce.lead"
        ).fetchone()
    assert offsets > 1000 and separators > 1000  # ~half the 3,000 leads of each kind

    # the nightly run, not a full refresh: the type change re-classifies the whole table
    _run(database, generated_run["as_of"])
    serve = database.with_name("warehouse.serve.duckdb")
    assert query(database, QUARANTINE_COUNTS) == query(typed, QUARANTINE_COUNTS)
    assert query(database, WON) == query(typed, WON)
    assert query(database, WON)[0][0] > 0
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"attach '{typed}' as typed (read_only)")
        # created_at to the second, offset leads included
        wrong = con.execute(
            "select count(*) from marts.dim_leads as text"
            " inner join typed.marts.dim_leads as typed using (lead_id)"
            " where text.created_at is distinct from typed.created_at"
        ).fetchone()[0]
        compared = con.execute("select count(*) from marts.dim_leads").fetchone()[0]
    assert (wrong, compared) == (0, query(typed, "select count(*) from marts.dim_leads")[0][0])
    differences = _marts_differences(serve, typed_serve)
    assert differences and set(differences.values()) == {(0, 0)}, differences

    # and a full refresh of the same raw data publishes exactly the same
    _run(database, generated_run["as_of"], full_refresh=True)
    assert query(database, QUARANTINE_COUNTS) == query(typed, QUARANTINE_COUNTS)
    differences = _marts_differences(serve, typed_serve)
    assert set(differences.values()) == {(0, 0)}, differences


def test_a_resynced_null_key_row_and_a_row_behind_the_watermark(
    handbuilt_run: dict[str, Any], tmp_path: Path
) -> None:
    """Night 2 on the hand-built warehouse: the connector re-syncs the null-key lead (the
    same row, a later _fivetran_synced) and lands a lead whose _fivetran_synced (Mar 1) lies
    weeks behind the last sync (Apr 30 23:00) minus any lookback."""
    assert handbuilt_run["completed"].returncode == 0
    database = _copy_warehouse(handbuilt_run["database"], tmp_path / "night2")
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into raw_salesforce.lead select * replace"
            " (timestamp '2025-05-01 01:00:00' as _fivetran_synced)"
            " from raw_salesforce.lead where id is null"
        )
        con.execute(
            "insert into raw_salesforce.lead (id, owner_id, created_date, status, lead_source,"
            " is_deleted, _fivetran_synced) values ('00QL19', '005NY', '2025-03-20T09:00:00',"
            " 'Nurture', 'Paid Search', false, timestamp '2025-03-01 00:00:00')"
        )
    _run(database, handbuilt_run["as_of"])  # the nightly run: the reconciliation passes

    lead = query(
        database,
        "select raw_rows, staged_rows, duplicate_rows, deleted_rows, merged_rows,"
        " quarantined_rows, unaccounted_rows from audit.reconciliation_raw_rows"
        " where source_name = 'salesforce' and table_name = 'lead'",
    )
    # 19 + 2 raw rows: L19 staged; the null-key re-sync is a duplicate of the null-key row,
    # which stays quarantined once
    assert lead == [(21, 14, 2, 1, 1, 3, 0)]
    null_keys = query(
        database,
        "select count(*) from quarantine.quarantine_salesforce where reason = 'null_key'",
    )
    assert null_keys == [(1,)]
    serve = database.with_name("warehouse.serve.duckdb")
    assert query(serve, "select current_stage from marts.dim_leads where lead_id = '00QL19'") == [
        ("nurture",)
    ]
    # nothing else moved: every mart is as before but for L19, a March paid-search lead
    # never handed off: its own rows (lead, score, stage interval) are new, and the rows
    # that count March's paid-search leads (creation, flow, Q1 diagnostics, the lead->mql
    # benchmark) are replaced by one with one lead more. No cycle, funnel or SLA row moved.
    differences = _marts_differences(serve, handbuilt_run["serve"])
    moved = {name: counts for name, counts in differences.items() if counts != (0, 0)}
    assert moved == {
        "dim_leads": (1, 0),
        "fct_lead_scores": (1, 0),
        "fct_lead_stage_history": (1, 0),
        "fct_lead_creation_by_source": (1, 1),
        "fct_funnel_flow_by_channel": (1, 1),
        "fct_funnel_diagnostics": (1, 1),
        "fct_funnel_stage_benchmarks": (1, 1),
    }


def test_rows_staging_holds_that_raw_no_longer_has_fail_with_what_to_run(
    handbuilt_run: dict[str, Any], tmp_path: Path
) -> None:
    assert handbuilt_run["completed"].returncode == 0
    database = _copy_warehouse(handbuilt_run["database"], tmp_path / "removed")
    with duckdb.connect(str(database)) as con:
        con.execute("delete from raw_salesforce.lead where id = '00QL07'")
    completed = run_dbt(
        ["run", "--select", "reconciliation_raw_rows"],
        database=database,
        as_of=handbuilt_run["as_of"],
        marts_schema="marts_build",
        target_path=tmp_path / "target",
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output[-3000:]
    assert "raw rows unaccounted for in salesforce.lead (raw 18, classified 19)" in output
    assert "Run `lead-funnel run --full-refresh`" in output


# --------------------------------------------------------------------------- names


CRAFTED = 'raw_salesforce"; drop table main.x; --'


@pytest.fixture()
def crafted_warehouse(tmp_path: Path) -> Path:
    """The hand-built raw tables, a table main.x, and a schema whose name is SQL."""
    from tests.scenarios.handbuilt import build_rows

    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, build_rows())
        con.execute("create table main.x as select 42 as answer")
        quoted = '"' + CRAFTED.replace('"', '""') + '"'
        con.execute(f"create schema {quoted}")
        con.execute(f"create table {quoted}.lead as select * from raw_salesforce.lead")
    return database


def _nothing_ran(database: Path) -> None:
    assert query(database, "select answer from main.x") == [(42,)]
    schemas = {row[0] for row in query(database, "select schema_name from duckdb_schemas()")}
    assert not schemas & {"staging", "marts", "marts_build", "lead_funnel_meta"}
    assert not database.with_name("warehouse.serve.duckdb").exists()


def test_a_crafted_schema_flag_is_refused_before_anything_runs(crafted_warehouse: Path) -> None:
    completed = lead_funnel_cli(
        "run", "--database", str(crafted_warehouse), "--salesforce-schema", CRAFTED
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        f"lead-funnel run: --salesforce-schema {CRAFTED!r} is not a usable schema name: use "
        "letters, digits and underscores, starting with a letter or an underscore (at most 63 "
        "characters), e.g. raw_salesforce; nothing was run"
    )
    _nothing_ran(crafted_warehouse)


def test_a_crafted_schema_variable_is_refused_before_anything_runs(
    crafted_warehouse: Path,
) -> None:
    import os

    env = {**os.environ, "LEAD_FUNNEL_MARKETO_SCHEMA": "raw_marketo; drop table main.x"}
    completed = lead_funnel_cli("run", "--database", str(crafted_warehouse), env=env)
    assert completed.returncode == 2
    assert "LEAD_FUNNEL_MARKETO_SCHEMA 'raw_marketo; drop table main.x' is not a usable" in (
        completed.stderr
    )
    _nothing_ran(crafted_warehouse)


@pytest.mark.parametrize("name", ["raw_salesforce", "_sfdc", "SFDC_2025", "a" * 63])
def test_plain_identifiers_are_accepted(name: str) -> None:
    assert checked_identifier(name, "--salesforce-schema") == name


@pytest.mark.parametrize("name", ["", "2sfdc", "raw-salesforce", "raw salesforce", 'a"b', "a" * 64])
def test_anything_else_is_refused_naming_the_value(name: str) -> None:
    with pytest.raises(InvalidNameError, match="--marketo-schema"):
        PipelineSettings.resolve("unused.duckdb", marketo_schema=name or " ")
