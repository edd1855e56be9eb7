"""Connections to the warehouse file, with errors a user can act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer per file)."""


class UnreadableWarehouseError(RuntimeError):
    """The file exists but cannot be opened as a DuckDB database."""


def _explain_unreadable(path: Path, error: Exception) -> UnreadableWarehouseError:
    text = str(error)
    if "not a valid DuckDB database" in text or "not a DuckDB" in text:
        reason = "it is not a DuckDB database file"
    elif "Permission denied" in text or isinstance(error, PermissionError):
        reason = "this user may not read or write it (permission denied)"
    elif "version" in text.lower() and "storage" in text.lower():
        reason = "it was written by another DuckDB version than this one"
    else:
        reason = text.splitlines()[0]
    return UnreadableWarehouseError(
        f"{path} cannot be opened: {reason}. Point --database at the DuckDB file your EL "
        "tool lands Salesforce and Marketo in (or create one with `lead-funnel generate`)."
    )


def _command_line(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return (
        " ".join(
            Path(part).name if i == 0 else part
            for i, part in enumerate(raw.decode(errors="replace").split("\0"))
            if part
        )
        or None
    )


def describe_lock_holder(message: str) -> str:
    """Who holds the file, as a sentence: the PID and command line DuckDB's error names."""
    found = re.search(r"PID (\d+)", message)
    if not found:
        return (
            "another process holds it. Point BI tools at the published serve file "
            "(see README: Reading the marts), not at the warehouse file, and close other "
            "sessions on it"
        )
    pid = int(found.group(1))
    command = _command_line(pid)
    if command is None:
        return f"process {pid} held it and has just ended: run again"
    shown = command if len(command) <= 120 else command[:117] + "..."
    if re.search(r"\bdbt\b", command):
        advice = (
            "a dbt build (of an interrupted lead-funnel run, or started by hand): let it "
            f"finish or stop it with `kill {pid}`, then run again"
        )
    elif "lead-funnel" in command or "lead_funnel" in command or "dagster" in command:
        advice = "another lead-funnel command on this warehouse: wait for it to finish"
    else:
        advice = (
            "if it is a BI tool or a SQL client, point it at the published serve file "
            "(README: Reading the marts) instead of the warehouse file, or close it"
        )
    return f"process {pid} ({shown}) holds it; {advice}"


def _explain_lock(path: Path, error: duckdb.Error) -> WarehouseLockedError:
    return WarehouseLockedError(
        f"{path} is in use (DuckDB allows one writer per file): "
        + describe_lock_holder(str(error))
        + "."
    )


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the file, always closing it (the dbt subprocess needs the lock back)."""
    if read_only and not Path(path).exists():
        raise FileNotFoundError(f"{path} does not exist")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise _explain_lock(Path(path), error) from error
        raise _explain_unreadable(Path(path), error) from error
    except (duckdb.SerializationException, duckdb.InvalidInputException, PermissionError) as error:
        raise _explain_unreadable(Path(path), error) from error
    try:
        yield con
    finally:
        con.close()


def relation_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    views = con.execute(
        "select count(*) from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name],
    ).fetchone()
    return bool((found and found[0]) or (views and views[0]))


def tables_in_schema(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name", [schema]
    ).fetchall()
    return [row[0] for row in rows]


def schemas_in(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The schemas of the file's own database that hold a table or view."""
    rows = con.execute(
        "select distinct schema_name from duckdb_tables() where database_name = current_database() "
        "union select distinct schema_name from duckdb_views() "
        "where database_name = current_database() and not internal order by 1"
    ).fetchall()
    return [row[0] for row in rows]
