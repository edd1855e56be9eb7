"""The lead chain is incremental by lead bucket (macros/incremental/bucketed_incremental.sql).

After the connector lands changes for a few leads, an incremental run must rebuild
exactly the buckets of those leads, drop the leads that are gone, keep every other
lead's rows as stored, and leave the tables equal to a full refresh. An opportunity that
closes rebuilds the bucket of the lead converted to it (from int_lead_handoff_events on),
not every bucket. A changed rule (here: a user
moved into the integration role) must rebuild every lead.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel_tools.generator import generate

CHAIN = (
    "intermediate.int_lead_status_changes",
    "intermediate.int_lead_handoff_events",
    "intermediate.int_lead_cycle_events",
    "intermediate.int_lead_stage_intervals",
    "marts_build.fct_lead_stage_history",
)
INCREMENTAL_CHAIN = CHAIN[:-1]  # the mart is a table copied from int_lead_stage_intervals
# the leads (fixture keys) whose buckets each table rebuilds: status changes do not read
# opportunities, so the converted lead's closed opportunity reaches the chain after them
LANDED_FOR_EVERY_TABLE = ("changed", "late", "gone")
LANDED = {
    table: LANDED_FOR_EVERY_TABLE + (() if table == CHAIN[0] else ("converted",))
    for table in INCREMENTAL_CHAIN
}


def _build(database: Path, as_of: datetime, target: Path, *, full_refresh: bool = False) -> None:
    """Seeds and every model the stage history depends on (no tests: they are not the point)."""
    refresh = ["--full-refresh"] if full_refresh else []
    run_dbt(
        [
            "build",
            "--select",
            "+fct_lead_stage_history",
            "--exclude-resource-type",
            "test",
            "unit_test",
            *refresh,
        ],
        database=database,
        as_of=as_of,
        marts_schema="marts_build",
        target_path=target,
    )


def _rows(database: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted(con.execute(f"select * from {table}").fetchall(), key=repr)


def _row_ids(database: Path, table: str) -> dict[str, list[int]]:
    """Where each lead's rows are stored: rows a run rewrites get new row ids."""
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(
            con.execute(
                f"select lead_id, list(rowid order by rowid) from {table} group by lead_id"
            ).fetchall()
        )


def _buckets(database: Path, table: str) -> dict[str, int]:
    """Each lead's bucket, the unit an incremental run rebuilds."""
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(con.execute(f"select distinct lead_id, _bucket from {table}").fetchall())


def _latest_sync(
    con: duckdb.DuckDBPyConnection, table: str, record_id: str, synced: datetime, **changes: object
) -> None:
    """Land a newer sync of a raw row, as the connector would after an edit in the CRM."""
    con.execute(
        f"create or replace temp table resync as select * from {table} "
        "where id = ? order by _fivetran_synced desc limit 1",
        [record_id],
    )
    for column, value in {**changes, "_fivetran_synced": synced}.items():
        con.execute(f"update resync set {column} = ?", [value])
    con.execute(f"insert into {table} select * from resync")


def _latest_lead_sync(
    con: duckdb.DuckDBPyConnection, lead_id: str, synced: datetime, **changes: object
) -> None:
    """Land a newer sync of a lead row, as the connector would after an edit in the CRM."""
    con.execute(
        "create or replace temp table resync as select * from raw_salesforce.lead "
        "where id = ? order by _fivetran_synced desc limit 1",
        [lead_id],
    )
    for column, value in {**changes, "_fivetran_synced": synced}.items():
        con.execute(f"update resync set {column} = ?", [value])
    con.execute("insert into raw_salesforce.lead select * from resync")


@pytest.fixture(scope="module")
def chain_warehouse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("lead-chain")
    database, target = root / "warehouse.duckdb", root / "dbt-target"
    report = generate(
        database, leads=1_500, seed=11, start=date(2025, 1, 1), days=60, progress=False
    )
    as_of = report.window_end + timedelta(hours=2)
    _build(database, as_of, target)
    with duckdb.connect(str(database), read_only=True) as con:
        # two live leads with Status history, and one to delete
        changed, late, gone = (
            row[0]
            for row in con.execute(
                "select lead_id from intermediate.int_lead_status_changes "
                "where change_source = 'history' group by lead_id order by lead_id limit 3"
            ).fetchall()
        )
        current_status = con.execute(
            "select status from staging.stg_salesforce__lead where lead_id = ?", [changed]
        ).fetchone()[0]
        # a live lead converted to an opportunity still open and without stage history (so
        # it closes at its close_date), none of the three above
        converted, opportunity = con.execute(
            "select leads.lead_id, leads.converted_opportunity_id "
            "from intermediate.int_crm__leads as leads "
            "inner join intermediate.int_opportunity_outcomes as outcomes "
            "on leads.converted_opportunity_id = outcomes.opportunity_id "
            "where not outcomes.is_closed and not outcomes.is_won "
            "and outcomes.opportunity_id not in "
            "(select opportunity_id from intermediate.int_events__opportunity_stage_changes) "
            "and leads.lead_id not in (?, ?, ?) "
            "and (select count(*) from intermediate.int_crm__leads as others "
            "where others.converted_opportunity_id = leads.converted_opportunity_id) = 1 "
            "order by leads.lead_id limit 1",
            [changed, late, gone],
        ).fetchone()
    return {
        "database": database,
        "target": target,
        "as_of": as_of,
        "root": root,
        "changed": changed,
        "late": late,
        "gone": gone,
        "converted": converted,
        "opportunity": opportunity,
        "current_status": current_status,
    }


@pytest.fixture(scope="module")
def after_a_night(chain_warehouse: dict[str, object]) -> dict[str, object]:
    """The connector lands a status change, a late row and a delete; the chain runs again."""
    database: Path = chain_warehouse["database"]  # type: ignore[assignment]
    as_of: datetime = chain_warehouse["as_of"]  # type: ignore[assignment]
    synced = as_of + timedelta(hours=20)
    before = {table: _row_ids(database, table) for table in INCREMENTAL_CHAIN}
    buckets = _buckets(database, INCREMENTAL_CHAIN[0])
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into raw_salesforce.lead_history values "
            "('017TEST00000000001', ?, ?, null, 'Status', ?, 'Recycled', false, ?), "
            "('017TEST00000000002', ?, ?, null, 'Status', 'Nurture', 'Working - Contacted', false, ?)",
            [
                chain_warehouse["changed"], as_of + timedelta(hours=10),
                chain_warehouse["current_status"], synced,
                # dated weeks before the last run, synced only now
                chain_warehouse["late"], as_of - timedelta(days=20), synced,
            ],
        )  # fmt: skip
        _latest_lead_sync(con, chain_warehouse["changed"], synced, status="Recycled")  # type: ignore[arg-type]
        _latest_lead_sync(con, chain_warehouse["gone"], synced, is_deleted=True)  # type: ignore[arg-type]
        _latest_sync(
            con,
            "raw_salesforce.opportunity",
            chain_warehouse["opportunity"],  # type: ignore[arg-type]
            synced,
            is_closed=True,
            is_won=True,
            stage_name="Closed Won",
            close_date=(as_of + timedelta(hours=10)).date(),
        )
    next_as_of = as_of + timedelta(days=1)
    full_copy = chain_warehouse["root"] / "full.duckdb"  # type: ignore[operator]
    shutil.copy(database, full_copy)
    _build(database, next_as_of, chain_warehouse["target"])  # type: ignore[arg-type]
    _build(full_copy, next_as_of, chain_warehouse["root"] / "full-target", full_refresh=True)  # type: ignore[operator]
    return {"before": before, "buckets": buckets, "full_copy": full_copy, "as_of": next_as_of}


@pytest.mark.parametrize("table", CHAIN)
def test_an_incremental_run_equals_a_full_refresh(
    chain_warehouse: dict[str, object], after_a_night: dict[str, object], table: str
) -> None:
    incremental = _rows(chain_warehouse["database"], table)  # type: ignore[arg-type]
    assert incremental == _rows(after_a_night["full_copy"], table)  # type: ignore[arg-type]


@pytest.mark.parametrize("table", INCREMENTAL_CHAIN)
def test_only_the_buckets_of_the_changed_leads_are_rebuilt(
    chain_warehouse: dict[str, object], after_a_night: dict[str, object], table: str
) -> None:
    before: dict[str, list[int]] = after_a_night["before"][table]  # type: ignore[index]
    buckets: dict[str, int] = after_a_night["buckets"]  # type: ignore[assignment]
    after = _row_ids(chain_warehouse["database"], table)  # type: ignore[arg-type]
    assert chain_warehouse["gone"] in before
    assert chain_warehouse["gone"] not in after
    touched = {buckets[chain_warehouse[lead]] for lead in LANDED[table]}  # type: ignore[index]
    rebuilt = {lead for lead, row_ids in after.items() if before.get(lead) != row_ids}
    assert rebuilt == {lead for lead in after if buckets[lead] in touched}
    assert {chain_warehouse["changed"], chain_warehouse["late"]} <= rebuilt
    assert len(rebuilt) < len(after) / 100  # 1,500 leads in 65,536 buckets: a handful
    assert len(after) == len(before) - 1


def test_the_converted_leads_opportunity_is_won(
    chain_warehouse: dict[str, object], after_a_night: dict[str, object]
) -> None:
    with duckdb.connect(str(chain_warehouse["database"]), read_only=True) as con:
        current = con.execute(
            "select stage, valid_from from marts_build.fct_lead_stage_history "
            "where lead_id = ? and is_current",
            [chain_warehouse["converted"]],
        ).fetchall()
    close_day = (after_a_night["as_of"] - timedelta(days=1) + timedelta(hours=10)).date()  # type: ignore[operator]
    assert current == [("won", datetime.combine(close_day, datetime.min.time()))]


def test_the_changed_lead_is_recycled(
    chain_warehouse: dict[str, object], after_a_night: dict[str, object]
) -> None:
    with duckdb.connect(str(chain_warehouse["database"]), read_only=True) as con:
        current = con.execute(
            "select stage from marts_build.fct_lead_stage_history where lead_id = ? and is_current",
            [chain_warehouse["changed"]],
        ).fetchall()
    assert current == [("recycled",)]


def test_a_changed_rule_rebuilds_every_lead(
    chain_warehouse: dict[str, object], after_a_night: dict[str, object]
) -> None:
    """A person who changed statuses becomes an integration user: their MQLs are the score lane now."""
    database: Path = chain_warehouse["database"]  # type: ignore[assignment]
    with duckdb.connect(str(database)) as con:
        user_id, changes = con.execute(
            "select changed_by_user_id, count(*) from intermediate.int_lead_status_changes "
            "where changed_by_user_id is not null and not is_integration_change "
            "group by 1 order by 2 desc, 1 limit 1"
        ).fetchone()
        con.execute(
            'create temp table moved as select * from raw_salesforce."user" where id = ? '
            "order by _fivetran_synced desc limit 1",
            [user_id],
        )
        con.execute(
            "update moved set user_role_id = (select id from raw_salesforce.user_role "
            "where name = 'Integration'), _fivetran_synced = ?",
            [after_a_night["as_of"] - timedelta(hours=1)],
        )
        con.execute('insert into raw_salesforce."user" select * from moved')
    before = _row_ids(database, "intermediate.int_lead_status_changes")
    full_copy: Path = after_a_night["full_copy"]  # type: ignore[assignment]
    shutil.copy(database, full_copy)
    as_of = after_a_night["as_of"] + timedelta(hours=1)
    _build(database, as_of, chain_warehouse["target"])  # type: ignore[arg-type]
    _build(full_copy, as_of, chain_warehouse["root"] / "full-target", full_refresh=True)  # type: ignore[operator]
    after = _row_ids(database, "intermediate.int_lead_status_changes")
    assert all(before[lead] != after[lead] for lead in after)
    for table in CHAIN:
        assert _rows(database, table) == _rows(full_copy, table), table
    with duckdb.connect(str(database), read_only=True) as con:
        flagged = con.execute(
            "select count(*), bool_and(is_integration_change) "
            "from intermediate.int_lead_status_changes where changed_by_user_id = ?",
            [user_id],
        ).fetchone()
    assert flagged == (changes, True)
