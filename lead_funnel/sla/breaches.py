"""SLA evaluation: every clock start becomes one evaluation; the late ones are the breaches.

Rules (contract section 2, "Default SLA policies", and section 3, ``fct_sla_breaches``):

* A *working-hours* policy row (``within_working_hours`` set) starts its clock at the next
  working minute of ``started_at`` in the owner's zone (``clock_started_at``) and is due
  ``within_working_hours`` working hours later (``due_at``).
* An *attempt-based* policy row (``attempts_required`` set) is a finished fact, not a clock
  (contract section 2): it is decided at the rejection (``deadline_at`` = ``met_at`` = the
  rejection time, ``due_at`` = ``deadline_at``): ``breached_closed`` when ``attempts_made`` <
  ``attempts_required``, else ``met_on_time``; ``pending`` while the rejection has not happened
  as of the run. Its ``hours_late`` is null (it is not measured in hours).
* Any other row without ``within_working_hours`` is due at ``deadline_at``.
* The evaluation is as of ``as_of``: an event stamped after ``as_of`` has not happened yet, so
  its ``met_at`` is treated (and output) as null.
* ``state`` (clock rows): ``breached_closed`` when ``met_at > due_at``; ``met_on_time`` when
  ``met_at <= due_at``; ``breached_open`` when not met and ``as_of > due_at``; else
  ``pending``. A row without a computable ``due_at`` (null start or deadline) is never a
  breach: ``met_on_time`` if met, else ``pending``.
* ``status`` is ``closed`` / ``open`` for the two breach states, null otherwise.
* ``hours_late`` is in working hours of the same calendar: from ``due_at`` to ``met_at``
  (closed) or to ``as_of`` (open); it can be 0 when the late event fell outside working time;
  null for attempt-based rows.
* ``attempts_made`` / ``attempts_required`` are passed through (null for working-hours rows).
* ``evaluation_id`` = ``breach_id`` = ``md5(cycle_id || ':' || sla)`` (hex), null when either
  part is null (the SQL semantics), so ids are stable across runs.
* Output rows keep the input order; ``time_zone`` is passed through as given and
  ``clock_time_zone`` names the zone the clock actually ran in (``UTC`` when unknown).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from lead_funnel.run_parameters import parse_as_of
from lead_funnel.sla.clock import (
    CalendarBook,
    add_working_hours,
    apply_by_time_zone,
    as_utc_ns,
    effective_time_zones,
    next_working_minute,
    working_hours_between,
)

CLOCK_START_COLUMNS: tuple[str, ...] = (
    "cycle_id",
    "lead_id",
    "owner_id",
    "sla",
    "entry_lane",
    "time_zone",
    "started_at",
    "within_working_hours",
    "deadline_at",
    "met_at",
    "attempts_made",
    "attempts_required",
)
STRING_INPUTS = ("cycle_id", "lead_id", "owner_id", "sla", "entry_lane", "time_zone")
TIMESTAMP_INPUTS = ("started_at", "deadline_at", "met_at")
COUNT_INPUTS = ("attempts_made", "attempts_required")

# Column name -> DuckDB type of fct_sla_evaluations, in output order.
EVALUATION_SCHEMA: dict[str, str] = {
    "evaluation_id": "VARCHAR",
    "breach_id": "VARCHAR",
    "cycle_id": "VARCHAR",
    "lead_id": "VARCHAR",
    "owner_id": "VARCHAR",
    "sla": "VARCHAR",
    "entry_lane": "VARCHAR",
    "time_zone": "VARCHAR",
    "started_at": "TIMESTAMP",
    "clock_started_at": "TIMESTAMP",
    "due_at": "TIMESTAMP",
    "met_at": "TIMESTAMP",
    "state": "VARCHAR",
    "status": "VARCHAR",
    "hours_late": "DOUBLE",
    "attempts_made": "INTEGER",
    "attempts_required": "INTEGER",
    "as_of": "TIMESTAMP",
    "within_working_hours": "DOUBLE",
    "deadline_at": "TIMESTAMP",
    "clock_time_zone": "VARCHAR",
}
EVALUATION_COLUMNS: tuple[str, ...] = tuple(EVALUATION_SCHEMA)
BREACH_CONTRACT_COLUMNS: tuple[str, ...] = (
    "breach_id",
    "cycle_id",
    "lead_id",
    "owner_id",
    "sla",
    "started_at",
    "due_at",
    "met_at",
    "status",
    "hours_late",
    "as_of",
)
BREACH_EXTRA_COLUMNS: tuple[str, ...] = (
    "attempts_made",
    "attempts_required",
    "entry_lane",
    "time_zone",
    "clock_started_at",
)
BREACH_COLUMNS: tuple[str, ...] = BREACH_CONTRACT_COLUMNS + BREACH_EXTRA_COLUMNS
BREACH_SCHEMA: dict[str, str] = {name: EVALUATION_SCHEMA[name] for name in BREACH_COLUMNS}

STATES: tuple[str, ...] = ("met_on_time", "pending", "breached_closed", "breached_open")
BREACH_STATUS: dict[str, str] = {"breached_closed": "closed", "breached_open": "open"}
TOP_OWNERS = 10


# --------------------------------------------------------------------------- evaluation


def evaluate_slas(
    clock_starts: pd.DataFrame,
    business_hours: pd.DataFrame | None,
    holidays: pd.DataFrame | None,
    as_of: dt.datetime | pd.Timestamp | str,
) -> pd.DataFrame:
    """Evaluate every SLA clock start as of ``as_of`` (naive UTC); one output row per input row,
    columns ``EVALUATION_COLUMNS``. See the module docstring for the rules."""
    frame = _prepare_clock_starts(clock_starts)
    book = CalendarBook.from_frames(business_hours, holidays)
    as_of_ts = pd.Timestamp(parse_as_of(as_of))
    as_of_ns = np.datetime64(as_of_ts.as_unit("ns").to_datetime64(), "ns")
    zones = effective_time_zones(frame["time_zone"])

    started = as_utc_ns(frame["started_at"])
    within = frame["within_working_hours"].to_numpy(dtype=np.float64)
    met = as_utc_ns(frame["met_at"])
    met = np.where(met > as_of_ns, np.datetime64("NaT", "ns"), met)  # not yet happened
    deadline = as_utc_ns(frame["deadline_at"])
    made = frame["attempts_made"]
    required = frame["attempts_required"]
    clock_started, due = _clock_and_due(book, zones, started, within, deadline)
    state = _states(due, met, as_of_ns)
    state = _attempt_states(state, required, made, met)
    ids = md5_ids(frame["cycle_id"], frame["sla"])

    out = pd.DataFrame(
        {
            "evaluation_id": ids,
            "breach_id": ids,
            **{name: frame[name] for name in STRING_INPUTS},
            "started_at": started,
            "clock_started_at": clock_started,
            "due_at": due,
            "met_at": met,
            "state": pd.Series(state, dtype="str"),
            "status": pd.Series(state, dtype="str").map(BREACH_STATUS).astype("str"),
            "hours_late": _hours_late(book, zones, state, due, met, as_of_ns, required),
            "attempts_made": made,
            "attempts_required": required,
            "as_of": np.full(len(frame), as_of_ns, dtype="datetime64[ns]"),
            "within_working_hours": within,
            "deadline_at": deadline,
            "clock_time_zone": pd.Series(zones, dtype="str"),
        },
        index=pd.RangeIndex(len(frame)),
    )
    return out[list(EVALUATION_COLUMNS)]


def breaches_from(evaluations: pd.DataFrame) -> pd.DataFrame:
    """The breaches (``status`` open or closed) with the contract's ``fct_sla_breaches`` columns
    first, then ``BREACH_EXTRA_COLUMNS``; input order kept, index reset."""
    late = evaluations["status"].isin(["open", "closed"]).to_numpy()
    return evaluations.loc[late, list(BREACH_COLUMNS)].reset_index(drop=True)


def md5_ids(cycle_ids: Sequence[Any] | pd.Series, slas: Sequence[Any] | pd.Series) -> pd.Series:
    """``md5(cycle_id || ':' || sla)`` as lowercase hex, null where either part is null;
    computed by DuckDB (vectorised, and byte-identical to the same expression in SQL)."""
    table = pa.table(
        {
            "cycle_id": pa.array(_strings(cycle_ids), type=pa.string()),
            "sla": pa.array(_strings(slas), type=pa.string()),
        }
    )
    with duckdb.connect() as con:
        con.register("ids_input", table)
        result = con.sql("select md5(cycle_id || ':' || sla) as id from ids_input")
        return result.to_arrow_table().to_pandas()["id"].astype("str")


def _strings(values: Sequence[Any] | pd.Series) -> pd.Series:
    """Text values as pandas ``str`` dtype, nulls (None/NaN/NA) kept missing."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return series.reset_index(drop=True).astype("str")


def _prepare_clock_starts(clock_starts: pd.DataFrame) -> pd.DataFrame:
    """Check the input columns and coerce their types (strings, float hours, UTC instants)."""
    optional = set(COUNT_INPUTS)  # working-hours-only inputs may omit them
    missing = [
        name
        for name in CLOCK_START_COLUMNS
        if name not in clock_starts.columns and name not in optional
    ]
    if missing:
        raise ValueError(f"clock starts lack columns: {', '.join(missing)}")
    frame = clock_starts.reset_index(drop=True)
    converted: dict[str, object] = {name: _strings(frame[name]) for name in STRING_INPUTS}
    for name in COUNT_INPUTS:
        counts = frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)
        converted[name] = pd.to_numeric(counts, errors="coerce").astype("Int64")
    hours = pd.to_numeric(frame["within_working_hours"], errors="coerce")
    converted["within_working_hours"] = hours.to_numpy(dtype=np.float64, na_value=np.nan)
    for name in TIMESTAMP_INPUTS:
        converted[name] = as_utc_ns(frame[name])
    return pd.DataFrame(converted, index=frame.index)


def _clock_and_due(
    book: CalendarBook,
    zones: np.ndarray,
    started: np.ndarray,
    within: np.ndarray,
    deadline: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(clock_started_at, due_at): working-hours rows run the clock, the others use
    ``started_at`` and ``deadline_at``."""
    clock_rows = ~np.isnan(within)
    clock_started = started.copy()
    due = deadline.copy()
    if clock_rows.any():
        rows = np.flatnonzero(clock_rows)
        clock_started[rows] = apply_by_time_zone(
            next_working_minute, zones[rows], book, started[rows]
        )
        due[rows] = apply_by_time_zone(
            add_working_hours, zones[rows], book, clock_started[rows], within[rows]
        )
    return clock_started, due


def _states(due: np.ndarray, met: np.ndarray, as_of_ns: np.datetime64) -> np.ndarray:
    """One of ``STATES`` per row (see the module docstring), as an object array."""
    has_due = ~np.isnat(due)
    is_met = ~np.isnat(met)
    code = np.full(due.shape, STATES.index("pending"), dtype=np.intp)
    code[is_met] = STATES.index("met_on_time")
    code[is_met & has_due & (met > due)] = STATES.index("breached_closed")
    code[~is_met & has_due & (as_of_ns > due)] = STATES.index("breached_open")
    return np.array(STATES, dtype=object)[code]


def _attempt_states(
    state: np.ndarray, required: pd.Series, made: pd.Series, met: np.ndarray
) -> np.ndarray:
    """Attempt-based rows: decided at the rejection (``met``), closed when too few attempts."""
    attempt_rows = required.notna().to_numpy()
    if not attempt_rows.any():
        return state
    state = state.copy()
    decided = attempt_rows & ~np.isnat(met)
    too_few = decided & (made.fillna(0) < required).fillna(False).to_numpy(dtype=bool)
    state[attempt_rows] = "pending"
    state[decided] = "met_on_time"
    state[too_few] = "breached_closed"
    return state


def _hours_late(
    book: CalendarBook,
    zones: np.ndarray,
    state: np.ndarray,
    due: np.ndarray,
    met: np.ndarray,
    as_of_ns: np.datetime64,
    attempts_required: pd.Series,
) -> np.ndarray:
    """Working hours from ``due_at`` to ``met_at`` (closed) or to ``as_of`` (open); NaN else
    (and for attempt-based rows, which are not measured in hours)."""
    hours = np.full(state.shape, np.nan)
    late = (state == "breached_closed") | (state == "breached_open")
    rows = np.flatnonzero(late & attempts_required.isna().to_numpy())
    if rows.size:
        until = np.where(state[rows] == "breached_closed", met[rows], as_of_ns)
        hours[rows] = apply_by_time_zone(
            working_hours_between, zones[rows], book, due[rows], until, dtype=np.float64
        )
    return hours


# --------------------------------------------------------------------------- DuckDB I/O


def write_sla_tables(
    con: duckdb.DuckDBPyConnection,
    *,
    source_relation: str,
    business_hours_relation: str,
    holidays_relation: str,
    target_schema: str,
    as_of: dt.datetime | pd.Timestamp | str,
) -> dict[str, Any]:
    """Read the clock starts and calendars from DuckDB, evaluate them, and replace
    ``<target_schema>.fct_sla_evaluations`` and ``<target_schema>.fct_sla_breaches`` in one
    transaction (both or neither). Relation names are SQL (trusted configuration). Must not be
    called while ``con`` has an open transaction. Returns ``summarise(...)``'s numbers."""
    began = time.perf_counter()
    clock_starts = read_clock_starts(con, source_relation)
    business_hours = _read_frame(con, business_hours_relation, _BUSINESS_HOURS_SELECT)
    holidays = _read_frame(con, holidays_relation, _HOLIDAYS_SELECT)
    read_done = time.perf_counter()
    evaluations = evaluate_slas(clock_starts, business_hours, holidays, as_of)
    breaches = breaches_from(evaluations)
    evaluated = time.perf_counter()
    _replace_tables(
        con,
        target_schema,
        {
            "fct_sla_evaluations": (evaluations, EVALUATION_SCHEMA),
            "fct_sla_breaches": (breaches, BREACH_SCHEMA),
        },
    )
    written = time.perf_counter()
    seconds = {
        "read": read_done - began,
        "evaluate": evaluated - read_done,
        "write": written - evaluated,
        "total": written - began,
    }
    summary = summarise(evaluations, breaches, pd.Timestamp(parse_as_of(as_of)), seconds)
    summary["target_schema"] = target_schema
    return summary


_BUSINESS_HOURS_SELECT = (
    "cast(time_zone as varchar) as time_zone, cast(work_start as varchar) as work_start, "
    "cast(work_end as varchar) as work_end, cast(weekmask as varchar) as weekmask"
)
_HOLIDAYS_SELECT = (
    "cast(holiday_date as date) as holiday_date, cast(holiday_name as varchar) as holiday_name, "
    "cast(time_zone as varchar) as time_zone"
)


def read_clock_starts(con: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    """The clock starts with their columns cast to the expected types; TIMESTAMPTZ columns are
    read as naive UTC."""
    described = con.sql(f"select * from {relation} limit 0")
    types = {
        name: str(kind).upper()
        for name, kind in zip(described.columns, described.types, strict=True)
    }
    expressions = []
    for name in CLOCK_START_COLUMNS:
        if name in TIMESTAMP_INPUTS:
            column = f'"{name}"'
            if "WITH TIME ZONE" in types.get(name, ""):
                column = f"timezone('UTC', {column})"
            expressions.append(f'cast({column} as timestamp) as "{name}"')
        elif name == "within_working_hours":
            expressions.append(f'cast("{name}" as double) as "{name}"')
        elif name in COUNT_INPUTS:
            column = f'"{name}"' if name in types else "null"
            expressions.append(f'cast({column} as integer) as "{name}"')
        else:
            expressions.append(f'cast("{name}" as varchar) as "{name}"')
    return _read_frame(con, relation, ", ".join(expressions))


def _read_frame(con: duckdb.DuckDBPyConnection, relation: str, select: str) -> pd.DataFrame:
    return con.sql(f"select {select} from {relation}").to_arrow_table().to_pandas()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _replace_tables(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    tables: Mapping[str, tuple[pd.DataFrame, Mapping[str, str]]],
) -> None:
    """Create-or-replace every table from its frame with explicit column types, atomically."""
    views = {name: f"_lead_funnel_sla_{name}_{uuid.uuid4().hex}" for name in tables}
    for name, (frame, _) in tables.items():
        con.register(views[name], pa.Table.from_pandas(frame, preserve_index=False))
    try:
        con.execute("begin transaction")
        try:
            con.execute(f"create schema if not exists {_quote(schema)}")
            for name, (_, column_types) in tables.items():
                casts = ", ".join(
                    f"cast({_quote(column)} as {kind}) as {_quote(column)}"
                    for column, kind in column_types.items()
                )
                con.execute(
                    f"create or replace table {_quote(schema)}.{_quote(name)} as "
                    f"select {casts} from {_quote(views[name])}"
                )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        for view in views.values():
            con.unregister(view)


# --------------------------------------------------------------------------- summary


def summarise(
    evaluations: pd.DataFrame,
    breaches: pd.DataFrame,
    as_of: pd.Timestamp,
    seconds: Mapping[str, float],
) -> dict[str, Any]:
    """JSON-ready run numbers: evaluations, states, breaches by SLA and status, the
    ``TOP_OWNERS`` owners with the most breaches (ties: more hours late first), timings."""
    states = evaluations["state"].value_counts()
    status = breaches["status"]
    return {
        "as_of": as_of.strftime("%Y-%m-%d %H:%M:%S"),
        "evaluations": len(evaluations),
        "states": {state: int(states.get(state, 0)) for state in STATES},
        "breaches": len(breaches),
        "open_breaches": int((status == "open").sum()),
        "closed_breaches": int((status == "closed").sum()),
        "breaches_by_sla": _by_sla(breaches),
        "top_owners": _top_owners(breaches),
        "seconds": {name: round(value, 3) for name, value in seconds.items()},
    }


def _by_sla(breaches: pd.DataFrame) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for (sla, status), size in breaches.groupby(["sla", "status"], dropna=False).size().items():
        entry = counts.setdefault(str(sla), {"open": 0, "closed": 0, "total": 0})
        entry[str(status)] = int(size)
        entry["total"] += int(size)
    return dict(sorted(counts.items()))


def _top_owners(breaches: pd.DataFrame) -> list[dict[str, Any]]:
    if breaches.empty:
        return []
    owners = breaches.assign(
        is_open=breaches["status"].eq("open"), is_closed=breaches["status"].eq("closed")
    ).groupby("owner_id", dropna=False)
    table = owners.agg(
        breaches=("breach_id", "size"),
        open=("is_open", "sum"),
        closed=("is_closed", "sum"),
        hours_late=("hours_late", "sum"),
    ).reset_index()
    table = table.sort_values(
        ["breaches", "hours_late", "owner_id"], ascending=[False, False, True], na_position="last"
    ).head(TOP_OWNERS)
    return [
        {
            "owner_id": None if pd.isna(row.owner_id) else str(row.owner_id),
            "breaches": int(row.breaches),
            "open": int(row.open),
            "closed": int(row.closed),
            "hours_late": round(float(row.hours_late), 2),
        }
        for row in table.itertuples(index=False)
    ]
