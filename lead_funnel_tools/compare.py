"""Two published serve files compared table by table, row for row (multiset difference);
and one engine's table against another's (Spark against DuckDB), floats to a tolerance.

Across engines, rows are normalised to one spelling per value (numbers as float, timestamps
as naive UTC), matched as multisets, and what is left unmatched is compared pairwise with
FLOAT_TOLERANCE (Spark and DuckDB sum doubles in different orders).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------ across engines (Spark vs DuckDB)

FLOAT_TOLERANCE = 1e-9  # relative (and absolute near 0)
SIGNIFICANT_DIGITS = 9  # the multiset match's rounding; the leftovers get FLOAT_TOLERANCE
NULL_KEY_PREFIX = "null_key:"  # + a digest by the engine's own hash function
# the raw row as the engine prints it (JSON text); digests by each engine's own hash
# function: the incremental mechanism's bucket and digest, the staging bases' row identity
# and hash, and the raw table's shape in the engine's type names
ENGINE_SPECIFIC_COLUMNS = frozenset(
    {"raw_row", "_bucket", "_bucket_digest", "_row_identity", "_row_hash", "_raw_schema_digest"}
)


@dataclass(frozen=True)
class RowDifference:
    """Rows of each side without an equal row on the other (floats to FLOAT_TOLERANCE)."""

    only_left: int
    only_right: int
    first: str | None = None

    @property
    def total(self) -> int:
        return self.only_left + self.only_right


def normal_value(value: object) -> object:
    """One spelling per value across engines: numbers as float, timestamps naive UTC."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str) and value.startswith(NULL_KEY_PREFIX):
        return NULL_KEY_PREFIX
    return value


def _match_key(row: tuple) -> tuple:
    return tuple(
        float(f"{value:.{SIGNIFICANT_DIGITS}g}") if isinstance(value, float) else value
        for value in row
    )


def _sort_key(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def rows_equal(left: tuple, right: tuple) -> bool:
    for a, b in zip(left, right, strict=True):
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE):
                return False
        elif a != b:
            return False
    return True


def _left_over(rows: list[tuple], other_side: list[tuple]) -> list[tuple]:
    """The rows without an equal (rounded) row on the other side, as multisets."""
    remaining = Counter(_match_key(row) for row in other_side)
    left = []
    for row in rows:
        key = _match_key(row)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            left.append(row)
    return sorted(left, key=_sort_key)


def tolerant_differences(
    left: list[tuple], right: list[tuple], names: tuple[str, str] = ("left", "right")
) -> RowDifference:
    """Multiset difference of two row lists (normalised values), floats to FLOAT_TOLERANCE."""
    left_only, right_only = _left_over(left, right), _left_over(right, left)
    # rounding can split two values within the tolerance: pair the leftovers in order
    only_left = only_right = 0
    first = None
    for a_row, b_row in zip(left_only, right_only, strict=False):
        if not rows_equal(a_row, b_row):
            only_left, only_right = only_left + 1, only_right + 1
            first = first or f"{names[0]} {a_row} != {names[1]} {b_row}"
    paired = min(len(left_only), len(right_only))
    only_left += len(left_only) - paired
    only_right += len(right_only) - paired
    for name, rows in zip(names, (left_only, right_only), strict=True):
        if len(rows) > paired:
            first = first or f"only on {name}: {rows[paired]}"
    return RowDifference(only_left, only_right, first)


def compared_columns(columns: list[str]) -> list[str]:
    return [column for column in columns if column not in ENGINE_SPECIFIC_COLUMNS]


def spark_rows(spark: Any, relation: str, columns: list[str]) -> list[tuple]:
    """A Spark table's rows, normalised (through Arrow: timestamps as UTC instants)."""
    arrow = spark.table(relation).select(*columns).toArrow()
    return [tuple(normal_value(row[c]) for c in columns) for row in arrow.to_pylist()]


def duckdb_rows(database: Path, schema: str, table: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(f'select {quoted} from "{schema}"."{table}"').fetchall()
    return [tuple(normal_value(v) for v in row) for row in rows]


def duckdb_table_names(database: Path, schema: str) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted(
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ?", [schema]
            ).fetchall()
        )


def duckdb_row_count(database: Path, schema: str, table: str) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        return int(con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0])
