"""Land rows into contract-shaped raw tables (hand-built test scenarios, importers).

Every contract table is created with the declared types; a table without rows is
created empty unless `omit` names it (to simulate an export that lacks it).
Columns a row does not name are null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

from lead_funnel.contract import quote_identifier, raw_tables

Rows = Mapping[tuple[str, str], Sequence[Mapping[str, Any]]]


def write_raw_tables(
    con: duckdb.DuckDBPyConnection,
    rows: Rows,
    *,
    omit: Iterable[tuple[str, str]] = (),
    replace: bool = True,
) -> dict[str, int]:
    """Create raw_salesforce / raw_marketo and insert `rows`; returns rows written per table."""
    omitted = set(omit)
    unknown = set(rows) - {(t.source, t.name) for t in raw_tables()}
    if unknown:
        raise KeyError(f"not contract tables: {sorted(unknown)}")
    written: dict[str, int] = {}
    for schema in sorted({t.schema for t in raw_tables()}):
        if replace:
            con.execute(f"drop schema if exists {quote_identifier(schema)} cascade")
        con.execute(f"create schema if not exists {quote_identifier(schema)}")
    for table in raw_tables():
        key = (table.source, table.name)
        if key in omitted:
            continue
        con.execute(table.create_sql())
        table_rows = rows.get(key, ())
        column_names = [c.name for c in table.columns]
        for row in table_rows:
            extra = set(row) - set(column_names)
            if extra:
                raise KeyError(f"{table.qualified_name} has no columns {sorted(extra)}")
        if table_rows:
            placeholders = ", ".join("?" for _ in column_names)
            quoted = ", ".join(quote_identifier(name) for name in column_names)
            con.executemany(
                f"insert into {table.qualified_name} ({quoted}) values ({placeholders})",
                [[row.get(name) for name in column_names] for row in table_rows],
            )
        written[f"{table.schema}.{table.name}"] = len(table_rows)
    return written
