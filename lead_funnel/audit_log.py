"""The audit's verdict per run, stored in the warehouse, so publication can refuse an unaudited
or failed build no matter how the run was launched (CLI, schedule, UI)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from lead_funnel.settings import META_SCHEMA
from lead_funnel.warehouse import relation_exists


@dataclass(frozen=True)
class AuditEntry:
    check_name: str
    severity: str  # blocking | warning
    mart: str
    passed: bool
    unexpected_count: int | None


def ensure_audit_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {META_SCHEMA}")
    con.execute(
        f"create table if not exists {META_SCHEMA}.audits ("
        "run_id varchar, as_of timestamp, recorded_at timestamp, check_name varchar, "
        "severity varchar, mart varchar, passed boolean, unexpected_count bigint)"
    )


def record_audit(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: datetime, entries: Iterable[AuditEntry]
) -> None:
    ensure_audit_table(con)
    rows = [
        [run_id, as_of, e.check_name, e.severity, e.mart, e.passed, e.unexpected_count]
        for e in entries
    ]
    con.execute("begin transaction")
    con.execute(f"delete from {META_SCHEMA}.audits where run_id = ?", [run_id])
    if rows:
        con.executemany(
            f"insert into {META_SCHEMA}.audits values "
            "(?, ?, cast(timezone('UTC', now()) as timestamp), ?, ?, ?, ?, ?)",
            rows,
        )
    con.execute("commit")


def blocking_failures_for_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str] | None:
    """Names of the failed blocking checks of the run; None when the run recorded no audit."""
    if not relation_exists(con, META_SCHEMA, "audits"):
        return None
    rows = con.execute(
        f"select check_name, severity, passed from {META_SCHEMA}.audits where run_id = ?", [run_id]
    ).fetchall()
    if not rows:
        return None
    return sorted(name for name, severity, passed in rows if severity == "blocking" and not passed)
