"""The raw-table contract as the dbt sources yml declares it (the project's own copy of
../shared/CONTRACT.md section 1): table names, column order and DuckDB types."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from lead_funnel.paths import DBT_PROJECT_DIR

SOURCES_FILES = {
    "salesforce": DBT_PROJECT_DIR / "models/staging/salesforce/_salesforce__sources.yml",
    "marketo": DBT_PROJECT_DIR / "models/staging/marketo/_marketo__sources.yml",
}
DEFAULT_SCHEMAS = {"salesforce": "raw_salesforce", "marketo": "raw_marketo"}
# The sources yml reads the schema from these variables (`--salesforce-schema` sets them).
SCHEMA_ENV = {
    "salesforce": "LEAD_FUNNEL_SALESFORCE_SCHEMA",
    "marketo": "LEAD_FUNNEL_MARKETO_SCHEMA",
}


def landed_schema(source: str) -> str:
    """The schema a run reads `source` from, resolved as the sources yml resolves it."""
    return os.environ.get(SCHEMA_ENV[source]) or DEFAULT_SCHEMAS[source]


@dataclass(frozen=True)
class RawColumn:
    name: str
    data_type: str


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[RawColumn, ...]

    @property
    def schema(self) -> str:
        return DEFAULT_SCHEMAS[self.source]

    @property
    def qualified_name(self) -> str:
        return f'{self.schema}."{self.name}"'

    def create_sql(self, schema: str | None = None) -> str:
        columns = ", ".join(f'"{c.name}" {c.data_type.upper()}' for c in self.columns)
        return f'create table {schema or self.schema}."{self.name}" ({columns})'


def _read_sources(path: Path) -> list[RawTable]:
    document = yaml.safe_load(path.read_text())
    tables: list[RawTable] = []
    for source in document["sources"]:
        for table in source["tables"]:
            columns = tuple(RawColumn(c["name"], c["data_type"]) for c in table["columns"])
            tables.append(RawTable(source["name"], table["name"], columns))
    return tables


@cache
def raw_tables() -> tuple[RawTable, ...]:
    """Every raw table of the contract, Salesforce first, in the yml's order."""
    return tuple(table for path in SOURCES_FILES.values() for table in _read_sources(path))


def raw_table(source: str, name: str) -> RawTable:
    for table in raw_tables():
        if table.source == source and table.name == name:
            return table
    raise KeyError(f"{source}.{name} is not a contract table")
