"""The raw tables the generator writes, read from the project's typed copy of the contract.

The dbt sources yml files (``dbt_project/models/staging/<source>/_<source>__sources.yml``) list
every raw table and column with its DuckDB ``data_type``. The generator creates exactly those
tables, columns (in that order) and types, so the data it writes is what a connector would land.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from lead_funnel.paths import DBT_PROJECT_DIR

SOURCES = {
    "raw_salesforce": DBT_PROJECT_DIR / "models/staging/salesforce/_salesforce__sources.yml",
    "raw_marketo": DBT_PROJECT_DIR / "models/staging/marketo/_marketo__sources.yml",
}


@dataclass(frozen=True)
class Column:
    """One declared column: its name and DuckDB type (upper case, e.g. ``TIMESTAMP``)."""

    name: str
    data_type: str


@dataclass(frozen=True)
class Table:
    """One declared raw table in its schema, with its columns in declared order."""

    schema: str
    name: str
    columns: tuple[Column, ...]

    @property
    def qualified(self) -> str:
        """``schema."table"`` with the table name quoted (``user`` is a keyword)."""
        return f'{self.schema}."{self.name}"'

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def read_sources_yml(path: Path, schema: str) -> tuple[Table, ...]:
    """Parse one sources yml into tables (the first source in the file)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = document["sources"][0]
    tables = []
    for table in source["tables"]:
        columns = tuple(
            Column(column["name"], str(column["data_type"]).upper()) for column in table["columns"]
        )
        tables.append(Table(schema, table["name"], columns))
    return tuple(tables)


@lru_cache(maxsize=1)
def raw_tables() -> dict[str, Table]:
    """Every declared raw table keyed by ``schema.table``."""
    tables: dict[str, Table] = {}
    for schema, path in SOURCES.items():
        for table in read_sources_yml(path, schema):
            tables[f"{schema}.{table.name}"] = table
    return tables


def create_statement(table: Table) -> str:
    """``CREATE TABLE`` DDL for one raw table with its declared columns and types."""
    columns = ", ".join(f'"{column.name}" {column.data_type}' for column in table.columns)
    return f"CREATE TABLE {table.qualified} ({columns})"
