"""Run the stage-definition invariants against the marts in a DuckDB connection.

``run_checks`` is the one entry point (the Dagster asset checks and ``lead-funnel check`` wrap
it): DuckDB computes every invariant's frame, one GX context validates one suite per mart, the
failing rows go to ``<audit>.failed_<invariant>`` when the database is writable, and the Data
Docs to ``data_docs_dir`` when one is given.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data_quality import gx_runtime
from data_quality.invariant import HOLDS_COLUMN, Invariant, QueryContext, SchemaRole
from data_quality.invariants import select_invariants
from data_quality.report import SAMPLE_SIZE, CheckReport, InvariantResult, Status
from data_quality.warehouse import Catalog, is_writable, replace_failed_rows, run_query
from lead_funnel.run_parameters import parse_as_of


@dataclass
class _Evaluated:
    """An invariant whose query ran: its applicable rows (``holds`` not null)."""

    invariant: Invariant
    frame: pa.Table
    seconds: float


def run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    marts_schema: str = "marts",
    audit_schema: str = "audit",
    seeds_schema: str = "seeds",
    intermediate_schema: str = "intermediate",
    as_of: datetime | None = None,
    data_docs_dir: Path | None = None,
    only_marts: Iterable[str] | None = None,
    only_invariants: Iterable[str] | None = None,
    store_failures: bool | None = None,
) -> CheckReport:
    """Check the invariants (all, or those guarding ``only_marts`` / named in
    ``only_invariants``) on the relations in ``con``.

    * ``as_of`` (naive UTC, or aware): what open SLA breaches are judged against; default: each
      breach row's own ``as_of``.
    * A relation, column or setting an invariant needs that does not exist gives a ``skipped``
      result (a warning), never an exception, so the checks run on partial projects.
    * Failing rows are kept in ``<audit_schema>.failed_<invariant>`` (replaced every run,
      dropped when the invariant passes) when ``store_failures`` is true, or by default when
      the database is writable; a read-only connection (``lead-funnel check``) only reports.
    * Exactly one GX context is created per call; Data Docs are built into ``data_docs_dir``
      when given (its ``index.html`` is ``report.data_docs_index``).
    """
    started = time.perf_counter()
    run_time = datetime.now(UTC)
    invariants = select_invariants(marts=only_marts, names=only_invariants)
    schemas: dict[SchemaRole, str] = {
        "marts": marts_schema,
        "audit": audit_schema,
        "seeds": seeds_schema,
        "intermediate": intermediate_schema,
    }
    as_of_utc = None if as_of is None else parse_as_of(as_of)
    keep_failures = is_writable(con) if store_failures is None else store_failures
    results, evaluated = _run_queries(con, Catalog(con, schemas), invariants, as_of_utc)
    queried = time.perf_counter()

    session = gx_runtime.GxSession(data_docs_dir, run_time)
    context_ready = time.perf_counter()
    outcomes = _validate(session, evaluated)
    validated = time.perf_counter()

    checked_at = run_time.replace(tzinfo=None)
    for item in evaluated:
        results[item.invariant.name] = _evaluated_result(
            item,
            outcomes[item.invariant.name],
            con if keep_failures else None,
            audit_schema,
            checked_at,
        )
    data_docs_index = session.build_data_docs()
    finished = time.perf_counter()

    return CheckReport(
        results=tuple(results[invariant.name] for invariant in invariants),
        as_of=as_of_utc,
        data_docs_index=data_docs_index,
        failed_rows_schema=audit_schema if keep_failures else None,
        timings={
            "queries": queried - started,
            "gx_context": context_ready - queried,
            "gx_validation": validated - context_ready,
            "failed_rows_and_data_docs": finished - validated,
            "total": finished - started,
        },
    )


def _run_queries(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    invariants: Iterable[Invariant],
    as_of: datetime | None,
) -> tuple[dict[str, InvariantResult], list[_Evaluated]]:
    """Run every invariant's query; those that cannot run are skipped (something missing) or
    errors (the query failed). Keeps only the applicable rows (``holds`` not null)."""
    base_context = QueryContext(relations={}, settings={}, as_of=as_of)
    results: dict[str, InvariantResult] = {}
    evaluated: list[_Evaluated] = []
    for invariant in invariants:
        began = time.perf_counter()
        prepared = catalog.prepare(invariant, base_context)
        if isinstance(prepared, str):
            results[invariant.name] = _not_evaluated(invariant, Status.SKIPPED, prepared)
            continue
        try:
            frame = run_query(con, invariant, invariant.query(prepared))
        except duckdb.Error as error:
            missing = catalog.missing_column(invariant, error)
            status = Status.ERROR if missing is None else Status.SKIPPED
            results[invariant.name] = _not_evaluated(invariant, status, missing or str(error))
            continue
        except ValueError as error:
            results[invariant.name] = _not_evaluated(invariant, Status.ERROR, str(error))
            continue
        applicable = frame.filter(pc.is_valid(frame[HOLDS_COLUMN]))
        evaluated.append(_Evaluated(invariant, applicable, time.perf_counter() - began))
    return results, evaluated


def _validate(
    session: gx_runtime.GxSession, evaluated: list[_Evaluated]
) -> dict[str, gx_runtime.ExpectationOutcome]:
    """One GX validation per mart: its suite on its batch of ``holds`` columns."""
    marts: dict[str, list[_Evaluated]] = {}
    for item in evaluated:
        marts.setdefault(item.invariant.mart, []).append(item)
    outcomes: dict[str, gx_runtime.ExpectationOutcome] = {}
    for mart, items in marts.items():
        batch = gx_runtime.mart_batch({item.invariant.name: _holds(item.frame) for item in items})
        outcomes.update(session.validate_mart(mart, [item.invariant for item in items], batch))
    return outcomes


def default_data_docs_dir(database: Path) -> Path:
    """The known Data Docs folder of a warehouse file: ``<folder>/<stem>_data_docs`` beside it
    (``data/lead_funnel.duckdb`` -> ``data/lead_funnel_data_docs/index.html``)."""
    database = Path(database).resolve()
    return database.parent / f"{database.stem}_data_docs"


def _holds(frame: pa.Table) -> pd.Series:
    return pd.Series(frame[HOLDS_COLUMN].to_numpy(), dtype="boolean")


def _not_evaluated(invariant: Invariant, status: Status, message: str) -> InvariantResult:
    return InvariantResult(
        name=invariant.name,
        severity=invariant.severity,
        mart=invariant.mart,
        status=status,
        description=invariant.description,
        group_by=invariant.group_by,
        message=message,
    )


def _evaluated_result(
    item: _Evaluated,
    outcome: gx_runtime.ExpectationOutcome,
    con: duckdb.DuckDBPyConnection | None,
    audit_schema: str,
    checked_at: datetime,
) -> InvariantResult:
    """Combine GX's verdict with the offending rows DuckDB produced."""
    invariant = item.invariant
    failing = item.frame.filter(pc.invert(item.frame[HOLDS_COLUMN])).drop_columns([HOLDS_COLUMN])
    failing = failing.sort_by([(key, "ascending") for key in invariant.key_columns])
    failed_table, message = None, None
    if con is not None:
        try:
            failed_table = replace_failed_rows(
                con, audit_schema, invariant.name, failing, checked_at
            )
        except duckdb.Error as error:
            message = f"the offending rows could not be kept: {error}"
    if outcome.exception is not None:
        status = Status.ERROR
        message = f"GX could not evaluate the expectation: {outcome.exception}"
    else:
        status = Status.PASSED if outcome.success else Status.FAILED
    return InvariantResult(
        name=invariant.name,
        severity=invariant.severity,
        mart=invariant.mart,
        status=status,
        description=invariant.description,
        unexpected_count=outcome.unexpected_count,
        checked_count=outcome.checked_count,
        unexpected_percent=outcome.unexpected_percent,
        sample_rows=tuple(_json_row(row) for row in failing.slice(0, SAMPLE_SIZE).to_pylist()),
        failed_rows_table=failed_table,
        group_by=invariant.group_by,
        breakdown=_breakdown(item.frame, invariant.group_by) if failing.num_rows else {},
        message=message,
        seconds=item.seconds,
    )


def _breakdown(frame: pa.Table, group_by: str | None) -> dict[str, dict[str, int]]:
    """Offending and checked rows per value of ``group_by`` (e.g. per owner)."""
    if group_by is None:
        return {}
    table = pa.table(
        {
            "group": pc.cast(frame[group_by], pa.string()).fill_null("(none)"),
            "offending": pc.cast(pc.invert(frame[HOLDS_COLUMN]), pa.int64()),
        }
    )
    grouped = table.group_by("group").aggregate([("offending", "sum"), ("offending", "count")])
    return {
        str(row["group"]): {
            "offending": int(row["offending_sum"]),
            "checked": int(row["offending_count"]),
        }
        for row in grouped.to_pylist()
        if row["offending_sum"]
    }


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row with JSON-friendly values: timestamps and dates as ISO text, decimals as floats."""
    return {name: _json_value(value) for name, value in row.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
