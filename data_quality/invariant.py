"""What an invariant is: a named rule, its severity, the mart it guards, the query checking it.

Every invariant follows one shape, so that a single kind of GX expectation can audit all of them:

* its DuckDB query returns one row per *checked entity* (a cycle, a funnel row, a lead, a
  breach, a raw table) with the entity's key columns, a few evidence columns (the values the
  rule looks at) and a boolean ``holds``: TRUE when the rule holds for the row, FALSE when the
  row violates it, NULL when the rule does not apply to the row (a rule about SQLs says nothing
  about a cycle that never reached SQL);
* its one GX expectation says that the column named after the rule is TRUE on every row where
  it applies (see ``data_quality.gx_runtime``). GX's unexpected count is then the number of
  offending rows and its unexpected percent the share of applicable rows that offend, which is
  what a warning such as "share of handoffs that miss the MQL definition" reports.

Queries are built at run time from a ``QueryContext`` (the schemas, the settings read from the
seeds, the run's as-of), so no business setting is hard-coded.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

SchemaRole = Literal["marts", "audit", "seeds", "intermediate"]
HOLDS_COLUMN = "holds"


class Severity(StrEnum):
    """``blocking``: the data contradicts itself, the run fails and nothing is published.
    ``warning``: the sales process (or the source) falls short; reported, never blocking."""

    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Reads:
    """A relation an invariant reads, the schema role it lives in, and the columns it needs
    (checked before the query runs, so a partial project gives a clear ``skipped``)."""

    relation: str
    schema_role: SchemaRole
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Setting:
    """A numeric business setting: a column of ``int_settings`` (the one typed row dbt builds
    from the settings seeds, with no defaults of its own), the same value the models use."""

    name: str


SETTINGS_RELATION = "int_settings"
SETTINGS_SCHEMA_ROLE: SchemaRole = "intermediate"


@dataclass(frozen=True)
class QueryContext:
    """Everything a query builder may use: qualified relation names, settings and the as-of."""

    relations: Mapping[str, str]
    settings: Mapping[Setting, float] = field(default_factory=dict)
    as_of: datetime | None = None

    def relation(self, name: str) -> str:
        """The quoted ``schema.relation`` for a relation the invariant declared in ``reads``."""
        return self.relations[name]

    def setting(self, setting: Setting) -> str:
        """A setting as a SQL numeric literal."""
        return repr(float(self.settings[setting]))

    def as_of_literal(self) -> str:
        """The run's as-of as a SQL TIMESTAMP literal (naive UTC), or a typed NULL."""
        if self.as_of is None:
            return "cast(null as timestamp)"
        return f"timestamp '{self.as_of.strftime('%Y-%m-%d %H:%M:%S.%f')}'"


QueryBuilder = Callable[[QueryContext], str]


@dataclass(frozen=True)
class Invariant:
    """One stage-definition invariant: one rule, one severity, one mart, one query, one
    GX expectation. ``description`` (the builder's docstring) states the rule and why it is
    blocking or a warning; it is shown in the GX Data Docs and the run summary."""

    name: str
    severity: Severity
    mart: str
    description: str
    key_columns: tuple[str, ...]
    evidence_columns: tuple[str, ...]
    reads: tuple[Reads, ...]
    build_query: QueryBuilder
    settings: tuple[Setting, ...] = ()
    group_by: str | None = None

    @property
    def is_blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    @property
    def summary(self) -> str:
        """The first paragraph of the description: the rule in one sentence."""
        return self.description.split("\n\n", 1)[0].replace("\n", " ").strip()

    @property
    def output_columns(self) -> tuple[str, ...]:
        """Key and evidence columns, in order, without repeats."""
        return tuple(dict.fromkeys((*self.key_columns, *self.evidence_columns)))

    def query(self, context: QueryContext) -> str:
        """The DuckDB query: ``output_columns`` plus ``holds`` (TRUE / FALSE / NULL)."""
        return self.build_query(context)


def invariant(
    *,
    severity: Severity,
    mart: str,
    keys: tuple[str, ...],
    evidence: tuple[str, ...],
    reads: tuple[Reads, ...],
    settings: tuple[Setting, ...] = (),
    group_by: str | None = None,
) -> Callable[[QueryBuilder], Invariant]:
    """Declare an invariant from its query builder: the function's name is the rule's name,
    its docstring the rule's documentation."""

    def declare(builder: QueryBuilder) -> Invariant:
        doc = inspect.getdoc(builder)
        if not doc:
            raise ValueError(f"invariant {builder.__name__} needs a docstring")
        if group_by is not None and group_by not in (*keys, *evidence):
            raise ValueError(f"invariant {builder.__name__}: group_by must be an output column")
        return Invariant(
            name=builder.__name__,
            severity=severity,
            mart=mart,
            description=doc,
            key_columns=keys,
            evidence_columns=evidence,
            reads=reads,
            build_query=builder,
            settings=settings,
            group_by=group_by,
        )

    return declare
