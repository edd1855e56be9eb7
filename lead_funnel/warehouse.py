"""Connections to the warehouse file, with errors a user can act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file (DuckDB allows one writer per file)."""


def _explain_lock(path: Path, error: duckdb.Error) -> WarehouseLockedError:
    pid = re.search(r"PID (\d+)", str(error))
    holder = f" (process {pid.group(1)})" if pid else ""
    return WarehouseLockedError(
        f"{path} is open in another process{holder}, and DuckDB allows one writer per file. "
        "Point BI tools at the published serve file (see README: Reading the marts), "
        "not at the warehouse file, and close other sessions on it."
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
        raise
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
