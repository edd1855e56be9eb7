"""DuckDB side of the checks: what exists, the settings, running a query, keeping failing rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from data_quality.invariant import (
    HOLDS_COLUMN,
    SETTINGS_RELATION,
    SETTINGS_SCHEMA_ROLE,
    Invariant,
    QueryContext,
    Reads,
    SchemaRole,
    Setting,
)

FAILED_TABLE_PREFIX = "failed_"
# DuckDB's binder names a column the query reads that the relation lacks
_MISSING_COLUMN = re.compile(r'Referenced column "([^"]+)" not found', re.I)


def quote(identifier: str) -> str:
    """A DuckDB identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def qualified(schema: str, relation: str) -> str:
    return f"{quote(schema)}.{quote(relation)}"


def is_writable(con: duckdb.DuckDBPyConnection) -> bool:
    """False when the connection's current database was opened read-only (``check`` mode)."""
    row = con.execute(
        "select readonly from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return row is not None and not row[0]


@dataclass
class Catalog:
    """Cached look-ups of relations, their columns and settings for one run."""

    con: duckdb.DuckDBPyConnection
    schemas: dict[SchemaRole, str]
    _columns: dict[tuple[str, str], tuple[str, ...] | None] = field(default_factory=dict)
    _settings: dict[Setting, float | None] = field(default_factory=dict)

    def columns(self, schema: str, relation: str) -> tuple[str, ...] | None:
        """The relation's columns (lower case), or None when it does not exist."""
        key = (schema, relation)
        if key not in self._columns:
            rows = self.con.execute(
                "select lower(column_name) from duckdb_columns() "
                "where database_name = current_database() "
                "and lower(schema_name) = lower(?) and lower(table_name) = lower(?) "
                "order by column_index",
                [schema, relation],
            ).fetchall()
            self._columns[key] = tuple(row[0] for row in rows) or None
        return self._columns[key]

    def setting(self, setting: Setting) -> float | None:
        """A numeric setting: its column of ``<intermediate>.int_settings``; None when the
        relation or the column is missing or the value is null."""
        if setting not in self._settings:
            schema = self.schemas[SETTINGS_SCHEMA_ROLE]
            found = self.columns(schema, SETTINGS_RELATION)
            value = None
            if found is not None and setting.name.lower() in found:
                rows = self.con.execute(
                    f"select cast({quote(setting.name)} as double) "
                    f"from {qualified(schema, SETTINGS_RELATION)}"
                ).fetchall()
                value = rows[0][0] if len(rows) == 1 else None
            self._settings[setting] = value
        return self._settings[setting]

    def qualify(self, schema: str, relation: str) -> str:
        """The relation's name in the engine's SQL."""
        return qualified(schema, relation)

    def prepare(self, invariant: Invariant, context: QueryContext) -> QueryContext | str:
        """The invariant's query context, or the reason it must be skipped (a relation or a
        setting it needs is missing)."""
        relations: dict[Reads, str] = {}
        for reads in invariant.reads:
            schema = self.schemas[reads.schema_role]
            if self.columns(schema, reads.relation) is None:
                return f"relation {schema}.{reads.relation} does not exist"
            relations[reads] = self.qualify(schema, reads.relation)
        settings: dict[Setting, float] = {}
        for setting in invariant.settings:
            value = self.setting(setting)
            if value is None:
                return (
                    f"setting {setting.name} is missing in "
                    f"{self.schemas[SETTINGS_SCHEMA_ROLE]}.{SETTINGS_RELATION}"
                )
            settings[setting] = value
        return QueryContext(relations=relations, settings=settings, as_of=context.as_of)

    def missing_column(self, invariant: Invariant, error: duckdb.Error) -> str | None:
        """The skip reason when ``error`` is a column the query reads that a relation it reads
        lacks (``<schema>.<relation> lacks column(s) <column>``), else None."""
        found = _MISSING_COLUMN.search(str(error))
        if not isinstance(error, duckdb.BinderException) or found is None:
            return None
        column = found.group(1).split(".")[-1].lower()
        for reads in invariant.reads:
            schema = self.schemas[reads.schema_role]
            columns = self.columns(schema, reads.relation) or ()
            if column not in columns:
                return f"{schema}.{reads.relation} lacks column(s) {column}"
        return None


def run_query(con: duckdb.DuckDBPyConnection, invariant: Invariant, sql: str) -> pa.Table:
    """The invariant's frame: its key columns, its evidence columns (every other output column,
    in the query's order) and ``holds`` (boolean), as Arrow."""
    table = con.sql(sql).to_arrow_table()
    missing = [
        name for name in (*invariant.key_columns, HOLDS_COLUMN) if name not in table.column_names
    ]
    if missing:
        raise ValueError(f"query of {invariant.name} lacks column(s) {', '.join(missing)}")
    evidence = [
        name
        for name in table.column_names
        if name not in invariant.key_columns and name != HOLDS_COLUMN
    ]
    expected = [*invariant.key_columns, *evidence, HOLDS_COLUMN]
    table = table.select(expected)
    if table.schema.field(HOLDS_COLUMN).type != pa.bool_():
        table = table.set_column(
            len(expected) - 1, HOLDS_COLUMN, table[HOLDS_COLUMN].cast(pa.bool_())
        )
    return table


def failed_table_name(invariant_name: str) -> str:
    return FAILED_TABLE_PREFIX + invariant_name


def replace_failed_rows(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    invariant_name: str,
    failing: pa.Table,
    checked_at: datetime,
) -> str | None:
    """Replace ``<schema>.failed_<invariant>`` with the failing rows (dropped when none, so a
    stale table never outlives the failure); returns the table's name when rows were kept."""
    table = qualified(schema, failed_table_name(invariant_name))
    con.execute(f"create schema if not exists {quote(schema)}")
    con.execute(f"drop table if exists {table}")
    if failing.num_rows == 0:
        return None
    view = f"_data_quality_failed_{invariant_name}"
    con.register(view, failing)
    try:
        con.execute(
            f"create table {table} as select *, cast(? as timestamp) as checked_at "
            f"from {quote(view)}",
            [checked_at],
        )
    finally:
        con.unregister(view)
    return f"{schema}.{failed_table_name(invariant_name)}"
