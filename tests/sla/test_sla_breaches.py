"""evaluate_slas / breaches_from / write_sla_tables on hand-worked rows.

Calendar: 09:00-17:00 Monday-Friday everywhere; 2025-03-10 (Monday) is a holiday in
Europe/London only. As of Wednesday 2025-03-12 12:00 UTC. 2025-03-03 and 2025-03-10 are Mondays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from lead_funnel.sla.breaches import (
    BREACH_COLUMNS,
    BREACH_CONTRACT_COLUMNS,
    BREACH_SCHEMA,
    CLOCK_START_COLUMNS,
    EVALUATION_COLUMNS,
    EVALUATION_SCHEMA,
    breaches_from,
    evaluate_slas,
    write_sla_tables,
)

from .helpers import ts

AS_OF = dt.datetime(2025, 3, 12, 12, 0)
BUSINESS_HOURS = pd.DataFrame(
    {"time_zone": ["*"], "work_start": ["09:00"], "work_end": ["17:00"], "weekmask": ["1111100"]}
)
HOLIDAYS = pd.DataFrame(
    {
        "holiday_date": [dt.date(2025, 3, 10)],
        "holiday_name": ["Made-up London holiday"],
        "time_zone": ["Europe/London"],
    }
)


def clock(
    cycle_id: str | None,
    sla: str,
    started_at: str | None,
    *,
    within: float | None = 8.0,
    deadline_at: str | None = None,
    met_at: str | None = None,
    lane: str = "score",
    time_zone: str | None = "UTC",
    owner_id: str | None = "U1",
    attempts: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """One clock-start row (times are naive UTC text); ``attempts`` = (made, required)."""
    return {
        "cycle_id": cycle_id,
        "lead_id": (cycle_id or "L?-1").split("-")[0],
        "owner_id": owner_id,
        "sla": sla,
        "entry_lane": lane,
        "time_zone": time_zone,
        "started_at": pd.Timestamp(started_at) if started_at else pd.NaT,
        "within_working_hours": np.nan if within is None else within,
        "deadline_at": pd.Timestamp(deadline_at) if deadline_at else pd.NaT,
        "met_at": pd.Timestamp(met_at) if met_at else pd.NaT,
        "attempts_made": attempts[0] if attempts else None,
        "attempts_required": attempts[1] if attempts else None,
    }


ROWS = {
    # Mon 10:00 + 8 h -> due Tue 03-04 10:00; met Mon 15:00 -> on time.
    "on_time": clock("L1-1", "sal_review", "2025-03-03 10:00", met_at="2025-03-03 15:00"),
    # Same due; met Wed 03-05 11:30 -> closed, late Tue 10-17 (7 h) + Wed 09-11:30 (2.5 h) = 9.5.
    "closed": clock(
        "L2-1", "sal_review", "2025-03-03 10:00", met_at="2025-03-05 11:30", lane="manual"
    ),
    # Wed 03-12 11:00 + 8 h -> due Thu 03-13 11:00 > as-of -> pending.
    "pending": clock("L3-1", "first_touch", "2025-03-12 11:00"),
    # Mon 03-10 16:00 + 8 h -> due Tue 03-11 16:00; not met; late Tue 16-17 + Wed 09-12 = 4 h.
    "open": clock("L4-1", "first_touch", "2025-03-10 16:00", owner_id="U2"),
    # Fast lane, 1 working hour: Fri 03-07 16:30 -> due Mon 03-10 09:30; met 09:20 -> on time.
    "fast_on_time": clock(
        "L5-1", "first_touch", "2025-03-07 16:30", within=1, met_at="2025-03-10 09:20"
    ),
    # Fast lane from Saturday: clock starts Mon 09:00, due 10:00; met 11:00 -> closed, 1 h late.
    "fast_late": clock(
        "L6-1", "first_touch", "2025-03-08 10:00", within=1, met_at="2025-03-10 11:00"
    ),
    # Attempts (contract section 2: a finished fact, not a clock): rejected for no response
    # Thu 03-06 14:00 after 4 of 6 attempts -> closed at the rejection (due = met = the
    # rejection), hours_late null, however long ago that was.
    "attempts_short": clock(
        "L7-1",
        "follow_up_attempts",
        "2025-03-03 10:00",
        within=None,
        deadline_at="2025-03-06 14:00",
        met_at="2025-03-06 14:00",
        attempts=(4, 6),
    ),
    # Six attempts before the rejection -> met on time.
    "attempts_met": clock(
        "L8-1",
        "follow_up_attempts",
        "2025-03-03 10:00",
        within=None,
        deadline_at="2025-03-06 14:00",
        met_at="2025-03-06 14:00",
        attempts=(6, 6),
    ),
    # Rejected after the as-of (not happened yet as of the run) with 2 attempts -> pending.
    "attempts_later": clock(
        "L13-1",
        "follow_up_attempts",
        "2025-03-10 10:00",
        within=None,
        deadline_at="2025-03-13 10:00",
        met_at="2025-03-13 10:00",
        attempts=(2, 6),
    ),
    # London: Fri 16:00 GMT + 2 h, Monday is London's holiday -> due Tue 03-11 10:00 GMT = 10:00Z;
    # met Tue 10:30 -> closed, 0.5 h late.
    "london": clock(
        "L9-1",
        "sal_review",
        "2025-03-07 16:00",
        within=2,
        time_zone="Europe/London",
        met_at="2025-03-11 10:30",
    ),
    # New York ignores the London holiday: Fri 16:00 EST (21:00Z) + 2 h -> Mon 10:00 EDT = 14:00Z;
    # met 13:30Z -> on time.
    "new_york": clock(
        "L10-1",
        "sal_review",
        "2025-03-07 21:00",
        within=2,
        time_zone="America/New_York",
        met_at="2025-03-10 13:30",
    ),
    # Null start: no due -> pending (never a breach), null owner and zone kept.
    "null_start": clock("L11-1", "sal_review", None, owner_id=None, time_zone=None),
    # Met but the event is after the as-of: not happened yet -> due Tue 03-11 16:00 passed -> open.
    "met_after_as_of": clock(
        "L12-1", "first_touch", "2025-03-10 16:00", met_at="2025-03-13 09:00", time_zone="Nope/X"
    ),
    # Null cycle id: the id is null too (md5 of a null is null, as in SQL).
    "null_cycle": clock(None, "sal_review", "2025-03-12 11:00", met_at="2025-03-12 11:30"),
}


@pytest.fixture(scope="module")
def evaluations() -> pd.DataFrame:
    frame = pd.DataFrame(list(ROWS.values()))
    return evaluate_slas(frame, BUSINESS_HOURS, HOLIDAYS, AS_OF).set_index(pd.Index(list(ROWS)))


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


EXPECTED = {
    # name: (clock_started_at, due_at, state, status, hours_late)
    "on_time": ("2025-03-03 10:00", "2025-03-04 10:00", "met_on_time", None, None),
    "closed": ("2025-03-03 10:00", "2025-03-04 10:00", "breached_closed", "closed", 9.5),
    "pending": ("2025-03-12 11:00", "2025-03-13 11:00", "pending", None, None),
    "open": ("2025-03-10 16:00", "2025-03-11 16:00", "breached_open", "open", 4.0),
    "fast_on_time": ("2025-03-07 16:30", "2025-03-10 09:30", "met_on_time", None, None),
    "fast_late": ("2025-03-10 09:00", "2025-03-10 10:00", "breached_closed", "closed", 1.0),
    "attempts_short": ("2025-03-03 10:00", "2025-03-06 14:00", "breached_closed", "closed", None),
    "attempts_met": ("2025-03-03 10:00", "2025-03-06 14:00", "met_on_time", None, None),
    "attempts_later": ("2025-03-10 10:00", "2025-03-13 10:00", "pending", None, None),
    "london": ("2025-03-07 16:00", "2025-03-11 10:00", "breached_closed", "closed", 0.5),
    "new_york": ("2025-03-07 21:00", "2025-03-10 14:00", "met_on_time", None, None),
    "null_start": (None, None, "pending", None, None),
    "met_after_as_of": ("2025-03-10 16:00", "2025-03-11 16:00", "breached_open", "open", 4.0),
    "null_cycle": ("2025-03-12 11:00", "2025-03-13 11:00", "met_on_time", None, None),
}


def _is_null(value: object) -> bool:
    return value is None or bool(pd.isna(value))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_row_evaluates_as_worked_out(evaluations: pd.DataFrame, name: str) -> None:
    row = evaluations.loc[name]
    clock_started, due, state, status, hours_late = EXPECTED[name]
    for column, expected in (("clock_started_at", clock_started), ("due_at", due)):
        assert (_is_null(row[column]) and expected is None) or row[column] == ts(expected or "")
    assert row["state"] == state
    assert (_is_null(row["status"]) and status is None) or row["status"] == status
    if hours_late is None:
        assert _is_null(row["hours_late"])
    else:
        assert row["hours_late"] == pytest.approx(hours_late, abs=1e-9)
    assert row["as_of"] == pd.Timestamp(AS_OF)


def test_columns_ids_and_passthrough(evaluations: pd.DataFrame) -> None:
    assert tuple(evaluations.columns) == EVALUATION_COLUMNS
    assert evaluations.loc["on_time", "breach_id"] == md5("L1-1:sal_review")
    assert (evaluations["evaluation_id"].fillna("-") == evaluations["breach_id"].fillna("-")).all()
    assert _is_null(evaluations.loc["null_cycle", "breach_id"])
    assert _is_null(evaluations.loc["null_start", "owner_id"])
    assert _is_null(evaluations.loc["null_start", "time_zone"])
    assert evaluations.loc["null_start", "clock_time_zone"] == "UTC"
    assert evaluations.loc["met_after_as_of", "time_zone"] == "Nope/X"  # as given
    assert evaluations.loc["met_after_as_of", "clock_time_zone"] == "UTC"  # as run
    assert _is_null(evaluations.loc["met_after_as_of", "met_at"])  # not happened as of the run
    assert evaluations.loc["attempts_short", "clock_started_at"] == ts("2025-03-03 10:00")
    assert evaluations.loc["attempts_short", "met_at"] == ts("2025-03-06 14:00")  # the rejection
    assert evaluations.loc["attempts_short", "attempts_made"] == 4
    assert evaluations.loc["attempts_short", "attempts_required"] == 6
    assert _is_null(evaluations.loc["on_time", "attempts_made"])
    assert _is_null(evaluations.loc["on_time", "attempts_required"])


def test_ids_are_deterministic_and_order_independent() -> None:
    frame = pd.DataFrame(list(ROWS.values()))
    first = evaluate_slas(frame, BUSINESS_HOURS, HOLIDAYS, AS_OF)
    shuffled = evaluate_slas(frame.iloc[::-1], BUSINESS_HOURS, HOLIDAYS, AS_OF)
    pd.testing.assert_frame_equal(first, shuffled.iloc[::-1].reset_index(drop=True))


def test_breaches_from_selects_the_contract_columns(evaluations: pd.DataFrame) -> None:
    breaches = breaches_from(evaluations)
    assert tuple(breaches.columns) == BREACH_COLUMNS
    assert tuple(breaches.columns[: len(BREACH_CONTRACT_COLUMNS)]) == BREACH_CONTRACT_COLUMNS
    # closed: L2, L6, L7 (too few attempts), L9; open: L4, L12 (input order kept).
    assert list(breaches["cycle_id"]) == ["L2-1", "L4-1", "L6-1", "L7-1", "L9-1", "L12-1"]
    assert list(breaches["status"]) == ["closed", "open", "closed", "closed", "closed", "open"]
    attempts = breaches.set_index("cycle_id")[["attempts_made", "attempts_required"]]
    assert tuple(attempts.loc["L7-1"]) == (4, 6)
    assert attempts.drop(index="L7-1").isna().all().all()


def test_empty_input_gives_empty_typed_frames() -> None:
    empty = pd.DataFrame({name: [] for name in CLOCK_START_COLUMNS})
    evaluations = evaluate_slas(empty, BUSINESS_HOURS, HOLIDAYS, AS_OF)
    assert len(evaluations) == 0
    assert tuple(evaluations.columns) == EVALUATION_COLUMNS
    assert evaluations["due_at"].dtype == np.dtype("datetime64[ns]")
    assert len(breaches_from(evaluations)) == 0


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="met_at"):
        evaluate_slas(pd.DataFrame({"cycle_id": []}), BUSINESS_HOURS, HOLIDAYS, AS_OF)


def test_no_calendar_rows_fall_back_to_the_default_calendar() -> None:
    frame = pd.DataFrame([ROWS["open"]])
    result = evaluate_slas(frame, None, None, pd.Timestamp(AS_OF, tz="UTC"))
    assert result.loc[0, "due_at"] == ts("2025-03-11 16:00")
    assert result.loc[0, "hours_late"] == 4.0


# ----------------------------------------------------------------- DuckDB


def _load(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Typed raw-ish tables: TIMESTAMP clock starts, seeds as dbt would infer them."""
    con.execute(
        "create schema intermediate; create schema seeds;"
        "create table intermediate.int_sla_clock_starts (cycle_id varchar, lead_id varchar,"
        " owner_id varchar, sla varchar, entry_lane varchar, time_zone varchar,"
        " started_at timestamp, within_working_hours double, deadline_at timestamp,"
        " met_at timestamp, attempts_made integer, attempts_required integer);"
        # dbt's CSV inference: weekmask as an integer, times as TIME.
        "create table seeds.sla_business_hours as select '*' as time_zone,"
        " time '09:00' as work_start, time '17:00' as work_end, 1111100 as weekmask;"
        "create table seeds.sla_holidays as select date '2025-03-10' as holiday_date,"
        " 'Made-up London holiday' as holiday_name, 'Europe/London' as time_zone;"
    )
    if rows:
        frame = pd.DataFrame(rows)  # noqa: F841 - scanned by DuckDB below
        con.execute("insert into intermediate.int_sla_clock_starts select * from frame")


def _write(con: duckdb.DuckDBPyConnection, as_of: dt.datetime = AS_OF) -> dict[str, Any]:
    return write_sla_tables(
        con,
        source_relation="intermediate.int_sla_clock_starts",
        business_hours_relation="seeds.sla_business_hours",
        holidays_relation="seeds.sla_holidays",
        target_schema="marts_build",
        as_of=as_of,
    )


def _types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.sql(f"describe marts_build.{table}").fetchall()
    return {row[0]: row[1] for row in rows}


def test_write_sla_tables_round_trip(evaluations: pd.DataFrame) -> None:
    with duckdb.connect() as con:
        _load(con, [row for name, row in ROWS.items() if name != "null_cycle"])
        summary = _write(con)
        assert _types(con, "fct_sla_evaluations") == EVALUATION_SCHEMA
        assert _types(con, "fct_sla_breaches") == BREACH_SCHEMA
        stored = con.sql(
            "select cycle_id, state, due_at, hours_late from marts_build.fct_sla_evaluations"
        ).fetchall()
        breaches = con.sql(
            "select cycle_id, status, hours_late from marts_build.fct_sla_breaches order by 1"
        ).fetchall()
    by_cycle = {row[0]: row for row in stored}
    assert by_cycle["L2-1"][1:] == ("breached_closed", dt.datetime(2025, 3, 4, 10), 9.5)
    assert by_cycle["L11-1"][1:] == ("pending", None, None)
    assert breaches == [
        ("L12-1", "open", 4.0),
        ("L2-1", "closed", 9.5),
        ("L4-1", "open", 4.0),
        ("L6-1", "closed", 1.0),
        ("L7-1", "closed", None),
        ("L9-1", "closed", 0.5),
    ]
    assert summary["evaluations"] == 13
    assert summary["breaches"] == 6
    assert (summary["open_breaches"], summary["closed_breaches"]) == (2, 4)
    assert summary["breaches_by_sla"] == {
        "first_touch": {"open": 2, "closed": 1, "total": 3},
        "follow_up_attempts": {"open": 0, "closed": 1, "total": 1},
        "sal_review": {"open": 0, "closed": 2, "total": 2},
    }
    # U1 owns 5 breaches (L2, L6, L7, L9, L12); U2 owns L4.
    assert [owner["owner_id"] for owner in summary["top_owners"]] == ["U1", "U2"]
    assert summary["top_owners"][0]["breaches"] == 5
    # the attempt breach (L7) has no hours late
    assert summary["top_owners"][0]["hours_late"] == pytest.approx(9.5 + 1 + 0.5 + 4)
    assert summary["states"]["met_on_time"] == 4
    assert set(summary["seconds"]) == {"read", "evaluate", "write", "total"}


def test_write_sla_tables_empty_input_gives_two_empty_typed_tables() -> None:
    with duckdb.connect() as con:
        _load(con, [])
        summary = _write(con)
        assert _types(con, "fct_sla_evaluations") == EVALUATION_SCHEMA
        assert _types(con, "fct_sla_breaches") == BREACH_SCHEMA
        counts = con.sql(
            "select (select count(*) from marts_build.fct_sla_evaluations),"
            " (select count(*) from marts_build.fct_sla_breaches)"
        ).fetchall()
    assert counts == [(0, 0)]
    assert summary["breaches"] == 0
    assert summary["top_owners"] == []


def test_write_sla_tables_is_atomic() -> None:
    with duckdb.connect() as con:
        _load(con, [ROWS["open"]])
        _write(con)
        # Make the second table impossible to replace: a view now holds its name.
        con.execute(
            "drop table marts_build.fct_sla_breaches;"
            "create view marts_build.fct_sla_breaches as select 1 as x"
        )
        with pytest.raises(duckdb.Error):
            _write(con, as_of=dt.datetime(2025, 3, 20))
        as_of = con.sql("select distinct as_of from marts_build.fct_sla_evaluations").fetchall()
    assert as_of == [(AS_OF,)]  # the first table kept the previous run's rows


def test_write_sla_tables_reads_timestamptz_as_utc() -> None:
    with duckdb.connect() as con:
        _load(con, [ROWS["open"]])
        con.execute(
            "set TimeZone = 'America/New_York';"
            "create table tz_starts as select * replace"
            " (timezone('UTC', started_at) as started_at) from intermediate.int_sla_clock_starts"
        )
        write_sla_tables(
            con,
            source_relation="tz_starts",
            business_hours_relation="seeds.sla_business_hours",
            holidays_relation="seeds.sla_holidays",
            target_schema="marts_build",
            as_of=AS_OF,
        )
        rows = con.sql("select started_at, due_at from marts_build.fct_sla_evaluations").fetchall()
    assert rows == [(dt.datetime(2025, 3, 10, 16), dt.datetime(2025, 3, 11, 16))]
