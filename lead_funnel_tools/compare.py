"""Two published serve files compared table by table, row for row (multiset difference)."""

from __future__ import annotations

from pathlib import Path

import duckdb

DEFAULT_SCHEMAS = ("marts",)


def table_differences(
    left: Path, right: Path, schemas: tuple[str, ...] = DEFAULT_SCHEMAS
) -> dict[str, tuple[int, int, int]]:
    """Per `schema.table` of `left`: (rows, rows only in left, rows only in right).

    A table missing on the right counts all its rows as only-in-left; columns are compared
    by name, in left's order, so a column order change is not a difference."""
    differences: dict[str, tuple[int, int, int]] = {}
    with duckdb.connect(str(left), read_only=True) as con:
        con.execute("attach ? as other (read_only)", [str(right)])
        for schema in schemas:
            for (table,) in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
                " and schema_name = ? order by 1",
                [schema],
            ).fetchall():
                name = f"{schema}.{table}"
                rows = con.execute(f'select count(*) from {schema}."{table}"').fetchone()[0]
                columns = [
                    column
                    for (column,) in con.execute(
                        "select column_name from duckdb_columns() where database_name ="
                        " current_database() and schema_name = ? and table_name = ?"
                        " order by column_index",
                        [schema, table],
                    ).fetchall()
                ]
                present = con.execute(
                    "select count(*) from duckdb_tables() where database_name = 'other'"
                    " and schema_name = ? and table_name = ?",
                    [schema, table],
                ).fetchone()[0]
                if not present:
                    differences[name] = (rows, rows, 0)
                    continue
                select = ", ".join(f'"{column}"' for column in columns)
                mine, theirs = f'{schema}."{table}"', f'other.{schema}."{table}"'
                only_left, only_right = (
                    con.execute(
                        f"select count(*) from (select {select} from {a}"
                        f" except all select {select} from {b})"
                    ).fetchone()[0]
                    for a, b in ((mine, theirs), (theirs, mine))
                )
                differences[name] = (rows, only_left, only_right)
            for (table,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'other'"
                " and schema_name = ? except select table_name from duckdb_tables()"
                " where database_name = current_database() and schema_name = ?",
                [schema, schema],
            ).fetchall():
                rows = con.execute(f'select count(*) from other.{schema}."{table}"').fetchone()[0]
                differences[f"{schema}.{table}"] = (0, 0, rows)
    return differences


def differing_rows(differences: dict[str, tuple[int, int, int]]) -> int:
    return sum(only_left + only_right for _, only_left, only_right in differences.values())
