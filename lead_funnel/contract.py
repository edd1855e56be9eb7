"""The raw-table contract as the dbt sources yml declares it (the project's own copy of
../shared/CONTRACT.md section 1): table names, column order and DuckDB types.

The one reader of the sources yml: the pipeline, the doctor, the gate and the tools (the
generator, the importers) all read the raw tables from here. Which schema a run reads a
source from is a run parameter (`PipelineSettings.raw_schemas`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.settings import DEFAULT_RAW_SCHEMAS

SOURCES_FILES = {
    "salesforce": DBT_PROJECT_DIR / "models/staging/salesforce/_salesforce__sources.yml",
    "marketo": DBT_PROJECT_DIR / "models/staging/marketo/_marketo__sources.yml",
}


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
        return DEFAULT_RAW_SCHEMAS[self.source]

    @property
    def key(self) -> str:
        """`schema.table` in the default schema, e.g. `raw_salesforce.lead`."""
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def qualified_name(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.name)}"

    def create_sql(self, schema: str | None = None) -> str:
        columns = ", ".join(
            f"{quote_identifier(c.name)} {c.data_type.upper()}" for c in self.columns
        )
        target = quote_identifier(schema or self.schema)
        return f"create table {target}.{quote_identifier(self.name)} ({columns})"


def quote_identifier(name: str) -> str:
    """A SQL identifier in double quotes, embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


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


@cache
def raw_tables_by_key() -> dict[str, RawTable]:
    """Every raw table keyed by `schema.table` (default schemas), in the yml's order."""
    return {table.key: table for table in raw_tables()}


def raw_table(source: str, name: str) -> RawTable:
    for table in raw_tables():
        if table.source == source and table.name == name:
            return table
    raise KeyError(f"{source}.{name} is not a contract table")
