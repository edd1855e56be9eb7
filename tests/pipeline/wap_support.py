"""Helpers for the write-audit-publish tests: table checksums, killed runs, extra raw rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb

from lead_funnel.faults import ACTION_ENV, FAULT_ENV, MARKER_ENV


def table_checksums(
    path: Path, schemas: tuple[str, ...] = ("marts",)
) -> dict[str, tuple[int, int]]:
    """Row count and an order-independent checksum of the contents of every table."""
    checksums = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in "
            f"({', '.join(repr(s) for s in schemas)}) order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            count, digest = con.execute(
                f'select count(*), coalesce(sum(hash(t)), 0) from "{schema}"."{table}" as t'
            ).fetchone()
            checksums[f"{schema}.{table}"] = (int(count), int(digest))
    return checksums


def run_command(database: Path, as_of: datetime) -> list[str]:
    executable = Path(sys.executable).with_name("lead-funnel")
    return [
        str(executable),
        "run",
        "--database",
        str(database),
        "--as-of",
        f"{as_of:%Y-%m-%d %H:%M:%S}",
        "--quiet",
    ]


def kill_run_at(
    phase: str, database: Path, as_of: datetime, workdir: Path, timeout: float = 600
) -> str:
    """Start `lead-funnel run`, wait until it reaches `phase`, SIGKILL its whole process group."""
    marker = workdir / f"reached-{phase.replace(':', '-')}"
    marker.unlink(missing_ok=True)
    env = {**os.environ, FAULT_ENV: phase, MARKER_ENV: str(marker)}
    env.pop(ACTION_ENV, None)
    output_path = workdir / f"output-{phase.replace(':', '-')}.log"
    output = output_path.open("w")  # a file, never a pipe nobody drains
    process = subprocess.Popen(
        run_command(database, as_of),
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    try:
        while not marker.exists():
            if process.poll() is not None:
                raise AssertionError(
                    f"run ended before reaching {phase}:\n{output_path.read_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"run did not reach {phase} within {timeout}s")
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        output.close()
    return marker.read_text()


def add_a_new_handoff(database: Path) -> None:
    """A new lead handed off by the MAP, so the next publication differs from the last."""
    synced = datetime(2025, 5, 1, 23, 0)
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into raw_salesforce.lead (id, owner_id, created_date, last_modified_date, status, "
            "lead_source, email, title, is_converted, is_deleted, _fivetran_synced) values "
            "('00QL20', '005NY', timestamp '2025-05-01 09:00:00', timestamp '2025-05-01 10:00:00', 'MQL', "
            "'Webinar', 'x@acme-20.com', 'VP Sales', false, false, ?)",
            [synced],
        )
        con.execute(
            "insert into raw_salesforce.lead_history (id, lead_id, created_date, created_by_id, field, "
            "old_value, new_value, is_deleted, _fivetran_synced) values "
            "('017H0900', '00QL20', timestamp '2025-05-01 10:00:00', '005INT', 'Status', "
            "'Open - Not Contacted', 'MQL', false, ?)",
            [synced],
        )
