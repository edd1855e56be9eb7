"""int_scoring_activities is incremental by Marketo person bucket: after the connector
lands more rows, an incremental run must equal a full refresh; and a bucket whose stored
digest is not the current one (rules, inputs or code changed) is re-classified.

The connector's later landing is simulated by holding back every Marketo activity row
synced after a cut-off, building as of the cut-off, then landing the held rows (late
clicks that confirm earlier opens among them) and building again as of the window end.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel_tools.generator import generate

START = date(2025, 1, 1)
DAYS = 90
CUT_OFF_DAYS = 76
ACTIVITY_TABLES = (
    "activity_visit_webpage",
    "activity_fill_out_form",
    "activity_click_email",
    "activity_open_email",
)
COLUMNS = (
    "activity_key, original_marketo_lead_id, activity_at, scored_at, activity_kind, "
    "_bucket, _bucket_digest"
)


def _rows(database: Path) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(
            con.execute(f"select {COLUMNS} from intermediate.int_scoring_activities").fetchall()
        )


def _build(database: Path, as_of: datetime, target: Path) -> None:
    """Seeds and every model int_scoring_activities depends on, then the model itself."""
    run_dbt(
        [
            "build",
            "--select",
            "+int_scoring_activities",
            "--exclude-resource-type",
            "test",
            "unit_test",
        ],
        database=database,
        as_of=as_of,
        target_path=target,
    )


@pytest.fixture(scope="module")
def appended_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, datetime]:
    root = tmp_path_factory.mktemp("scoring-incremental")
    database, target = root / "warehouse.duckdb", root / "dbt-target"
    generate(database, leads=3_000, seed=5, start=START, days=DAYS, progress=False)
    begin = datetime.combine(START, datetime.min.time())
    cut_off, as_of = begin + timedelta(days=CUT_OFF_DAYS), begin + timedelta(days=DAYS)
    with duckdb.connect(str(database)) as con:
        con.execute("create schema held_back")
        for table in ACTIVITY_TABLES:
            con.execute(
                f"create table held_back.{table} as select * from raw_marketo.{table} "
                "where _fivetran_synced > ?",
                [cut_off],
            )
            con.execute(f"delete from raw_marketo.{table} where _fivetran_synced > ?", [cut_off])
    _build(database, cut_off, target)
    before = len(_rows(database))
    with duckdb.connect(str(database)) as con:
        for table in ACTIVITY_TABLES:
            con.execute(f"insert into raw_marketo.{table} select * from held_back.{table}")
    _build(database, as_of, target)
    assert len(_rows(database)) > before, "the held-back rows bring new activities"
    return database, target, as_of


def test_incremental_run_equals_full_refresh(
    appended_warehouse: tuple[Path, Path, datetime],
) -> None:
    database, target, as_of = appended_warehouse
    incremental = _rows(database)
    run_dbt(
        ["run", "--select", "int_scoring_activities", "--full-refresh"],
        database=database,
        as_of=as_of,
        target_path=target,
    )
    full = _rows(database)
    assert incremental == full
    kinds = {row[4] for row in full}
    assert {"email_open_with_click", "email_open", "pricing_view", "hand_raise_form"} <= kinds


def test_changed_rules_reclassify_every_row(
    appended_warehouse: tuple[Path, Path, datetime],
) -> None:
    database, target, as_of = appended_warehouse
    expected = _rows(database)
    # as if the rows had been classified by other rules: a stale digest and kind
    with duckdb.connect(str(database)) as con:
        con.execute(
            "update intermediate.int_scoring_activities "
            "set _bucket_digest = 0, activity_kind = 'stale_kind'"
        )
    run_dbt(
        ["run", "--select", "int_scoring_activities"],
        database=database,
        as_of=as_of,
        target_path=target,
    )
    assert _rows(database) == expected
