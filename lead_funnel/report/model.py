"""The parts a report is made of: what a section shows, independent of HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import plotly.graph_objects as go

from lead_funnel.report.labels import humanize
from lead_funnel.settings import META_SCHEMA


@dataclass(frozen=True)
class Tile:
    """A headline figure: this month's value against the month before."""

    key: str
    label: str
    value: float | None
    previous: float | None
    kind: str  # count | rate | money


@dataclass(frozen=True)
class Table:
    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Chart:
    key: str
    figure: go.Figure


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tiles: list[Tile] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ReportContext:
    """A read-only connection to the published marts and what every section needs."""

    con: duckdb.DuckDBPyConnection
    source: str
    as_of: datetime
    channel_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, source: str) -> ReportContext:
        found = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [META_SCHEMA, "publication"],
        ).fetchone()
        row = (
            con.execute(f"select max(as_of) from {META_SCHEMA}.publication").fetchone()
            if found and found[0]
            else None
        )
        if row is None or row[0] is None:
            raise ValueError(f"{source} holds no publication record: run `lead-funnel run` first")
        context = cls(con=con, source=source, as_of=row[0])
        if context.has("marts", "dim_channels"):
            context.channel_names = dict(
                con.execute("select channel, channel_name from marts.dim_channels").fetchall()
            )
        return context

    def has(self, schema: str, relation: str) -> bool:
        row = self.con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, relation],
        ).fetchone()
        return bool(row and row[0])

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(parameters))
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def channel(self, code: str | None) -> str:
        return self.channel_names.get(code or "", humanize(code))

    @property
    def as_of_text(self) -> str:
        return f"as of {self.as_of:%Y-%m-%d %H:%M} UTC"

    @property
    def current_month(self) -> date:
        return self.as_of.date().replace(day=1)

    @property
    def last_full_month(self) -> date:
        first = self.current_month
        return (
            first.replace(year=first.year - 1, month=12)
            if first.month == 1
            else first.replace(month=first.month - 1)
        )

    @property
    def month_before(self) -> date:
        last = self.last_full_month
        return (
            last.replace(year=last.year - 1, month=12)
            if last.month == 1
            else last.replace(month=last.month - 1)
        )


def month_text(value: date) -> str:
    return f"{value:%b %Y}"
