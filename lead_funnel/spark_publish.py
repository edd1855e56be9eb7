"""Write-audit-publish on Spark: what a reader of the `marts` database sees, and when it changes.

The Hive metastore renames one table at a time and cannot move a table between databases,
so a Spark publication is not a rename. It is a pointer flip:

1. **copy** — the audited candidates in `marts_build` are copied into a new, write-once
   database `marts_p<as-of>_<run>` (one per publication, never changed once complete);
2. **views** — every `marts.<mart>` view is redefined to read the current publication's
   table *and* the new one, each branch filtered on the pointer
   (`lead_funnel_meta.current_publication`): while the pointer still names the current
   publication these views return exactly what the old ones did;
3. **pointer** — the pointer view is replaced by one naming the new publication: one
   metastore update, after which every mart view returns the new run's rows;
4. **cleanup** — publications older than the previous one are dropped (the previous one
   stays one cycle, for a reader still scanning it).

The guarantee: a query on `marts` reads every mart from the publication the pointer names
when Spark resolves it: complete, audited tables of one run, never a half-written table and
never one mart of each run (the branches of every view test the same pointer). A run killed
during phases 1-2 leaves the pointer on the previous publication, so readers keep seeing it;
the next run's `recover_interrupted_publication` re-points the views at the current
publication alone and drops the unfinished database. Not covered: two *separate* queries of
a reader can straddle a flip (read `current_publication` first and query `marts_p<id>` for a
fixed cut), and the flip is as atomic as the metastore's update of one view (Derby, Hive and
Unity Catalog update a view in one transaction).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lead_funnel.audit_log import AuditEntry
from lead_funnel.faults import checkpoint
from lead_funnel.run_parameters import format_as_of, parse_as_of
from lead_funnel.settings import BUILD_SCHEMA, META_SCHEMA, PUBLISHED_SCHEMA
from lead_funnel.spark_engine import databases, tables_in

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

PUBLICATION_PREFIX = "marts_p"
POINTER = f"{META_SCHEMA}.current_publication"
AUDITS = f"{META_SCHEMA}.audits"
_PUBLICATION_NAME = re.compile(rf"^{PUBLICATION_PREFIX}\d{{14}}_[0-9a-f]{{8}}$")


class SparkPublicationRefused(RuntimeError):
    """Nothing to publish (no candidates): the current publication is kept."""


@dataclass(frozen=True)
class Pointer:
    publication: str | None
    previous: str | None
    run_id: str | None
    as_of: datetime | None


@dataclass(frozen=True)
class SparkPublicationResult:
    publication: str
    relations: list[str]
    seconds: float
    copy_seconds: float


def publication_name(run_id: str, as_of: datetime) -> str:
    """`marts_p<as-of YYYYmmddHHMMSS>_<first 8 hex digits of the run id>`."""
    digits = re.sub(r"[^0-9a-f]", "", run_id.lower())[:8].ljust(8, "0")
    return f"{PUBLICATION_PREFIX}{parse_as_of(as_of):%Y%m%d%H%M%S}_{digits}"


def _literal(value: str | None) -> str:
    if value is None:
        return "cast(null as string)"
    if not re.fullmatch(r"[A-Za-z0-9_\-: .]*", value):
        raise ValueError(f"not a safe literal: {value!r}")
    return f"'{value}'"


def current_pointer(spark: SparkSession) -> Pointer:
    """What the pointer names (all None before the first publication)."""
    if "current_publication" not in tables_in(spark, META_SCHEMA):
        return Pointer(None, None, None, None)
    row = spark.sql(f"select * from {POINTER}").first()
    if row is None:
        return Pointer(None, None, None, None)
    return Pointer(row.publication_id, row.previous_publication_id, row.run_id, row.as_of)


def last_published_as_of(spark: SparkSession) -> datetime | None:
    as_of = current_pointer(spark).as_of
    return None if as_of is None else parse_as_of(as_of)


def _set_pointer(spark: SparkSession, pointer: Pointer) -> None:
    # timestamp_ntz: read back as the naive UTC datetime written, whatever the driver's zone
    as_of = (
        "cast(null as timestamp_ntz)"
        if pointer.as_of is None
        else f"cast('{format_as_of(pointer.as_of)}' as timestamp_ntz)"
    )
    spark.sql(f"create database if not exists {META_SCHEMA}")
    spark.sql(
        f"create or replace view {POINTER} as select "
        f"{_literal(pointer.publication)} as publication_id, "
        f"{_literal(pointer.previous)} as previous_publication_id, "
        f"{_literal(pointer.run_id)} as run_id, {as_of} as as_of"
    )


def _columns(schema: StructType) -> dict[str, str]:
    return {field.name.lower(): field.dataType.simpleString() for field in schema.fields}


def _branch(spark: SparkSession, publication: str, table: str, columns: dict[str, str]) -> str:
    """One view branch: the publication's table in the new publication's columns (a column
    it lacks is a typed null), its rows only while the pointer names it."""
    present = _columns(spark.table(f"{publication}.{table}").schema)
    select = ", ".join(
        (f"`{name}`" if present[name] == kind else f"cast(`{name}` as {kind}) as `{name}`")
        if name in present
        else f"cast(null as {kind}) as `{name}`"
        for name, kind in columns.items()
    )
    return (
        f"select {select} from {publication}.`{table}` "
        f"where (select publication_id from {POINTER}) = '{publication}'"
    )


def _point_views(spark: SparkSession, publications: Sequence[str], tables: Iterable[str]) -> None:
    """`marts.<table>` = the union of `publications`' branches (those holding the table)."""
    spark.sql(f"create database if not exists {PUBLISHED_SCHEMA}")
    newest = publications[-1]
    for index, table in enumerate(tables):
        columns = _columns(spark.table(f"{newest}.{table}").schema)
        branches = [
            _branch(spark, publication, table, columns)
            for publication in publications
            if table in tables_in(spark, publication)
        ]
        spark.sql(
            f"create or replace view {PUBLISHED_SCHEMA}.`{table}` as "
            + " union all ".join(branches)
        )
        if index == 0:
            checkpoint("publish:spark_views")


def _drop_views_not_in(spark: SparkSession, tables: set[str]) -> None:
    for view in tables_in(spark, PUBLISHED_SCHEMA):
        if view not in tables:
            spark.sql(f"drop view if exists {PUBLISHED_SCHEMA}.`{view}`")


def _publications(spark: SparkSession) -> list[str]:
    return sorted(name for name in databases(spark) if _PUBLICATION_NAME.match(name))


def _drop_publications_except(spark: SparkSession, keep: set[str | None]) -> list[str]:
    dropped = [name for name in _publications(spark) if name not in keep]
    for name in dropped:
        spark.sql(f"drop database if exists {name} cascade")
    return dropped


def publish_marts(
    spark: SparkSession, *, run_id: str, as_of: datetime, build_schema: str = BUILD_SCHEMA
) -> SparkPublicationResult:
    """Publish the audited candidates of `build_schema` (phases in the module docstring)."""
    began = time.perf_counter()
    tables = tables_in(spark, build_schema)
    if not tables:
        raise SparkPublicationRefused(
            f"{build_schema} holds no candidates: nothing is published, the current "
            "publication is kept"
        )
    recover_interrupted_publication(spark)  # a leftover of a killed run, views re-pointed first
    current = current_pointer(spark)
    new = publication_name(run_id, as_of)
    if new == current.publication:
        raise SparkPublicationRefused(f"{new} is already the current publication")
    spark.sql(f"create database {new}")
    for index, table in enumerate(tables):
        spark.sql(
            f"create table {new}.`{table}` using parquet as select * from {build_schema}.`{table}`"
        )
        if index == 0:
            checkpoint("publish:spark_copy")
    copied = time.perf_counter()
    if current.publication is None and "current_publication" not in tables_in(spark, META_SCHEMA):
        _set_pointer(spark, current)  # the views below read it; names nothing yet
    live = [name for name in (current.publication, new) if name is not None]
    _point_views(spark, live, tables)
    checkpoint("publish:spark_pointer")
    _set_pointer(spark, Pointer(new, current.publication, run_id, parse_as_of(as_of)))
    _drop_views_not_in(spark, set(tables))
    _drop_publications_except(spark, {new, current.publication})
    return SparkPublicationResult(
        publication=new,
        relations=[f"{PUBLISHED_SCHEMA}.{table}" for table in tables],
        seconds=time.perf_counter() - began,
        copy_seconds=copied - began,
    )


def recover_interrupted_publication(spark: SparkSession) -> str | None:
    """Roll back what a killed publication left: the views re-pointed at the current
    publication alone, the unfinished database dropped. None when there was nothing to do."""
    pointer = current_pointer(spark)
    keep = {pointer.publication, pointer.previous}
    leftovers = [name for name in _publications(spark) if name not in keep]
    if not leftovers:
        return None
    if pointer.publication is not None:
        tables = tables_in(spark, pointer.publication)
        _point_views(spark, [pointer.publication], tables)
        _drop_views_not_in(spark, set(tables))
    else:
        _drop_views_not_in(spark, set())
    _drop_publications_except(spark, keep)
    return (
        f"rolled back an interrupted Spark publication ({', '.join(leftovers)} dropped); "
        f"marts still read {pointer.publication or 'nothing (no publication yet)'}"
    )


# --------------------------------------------------------------------------- audit verdicts


def record_audit(
    spark: SparkSession, run_id: str, as_of: datetime, entries: Iterable[AuditEntry]
) -> None:
    """The run's invariant verdicts in lead_funnel_meta.audits (publication reads them)."""
    from pyspark.sql.types import (
        BooleanType,
        LongType,
        StringType,
        StructField,
        StructType,
        TimestampNTZType,
    )

    schema = StructType(
        [
            StructField("run_id", StringType()),
            StructField("as_of", TimestampNTZType()),
            StructField("check_name", StringType()),
            StructField("severity", StringType()),
            StructField("mart", StringType()),
            StructField("passed", BooleanType()),
            StructField("unexpected_count", LongType()),
        ]
    )
    rows = [
        (run_id, parse_as_of(as_of), e.check_name, e.severity, e.mart, e.passed, e.unexpected_count)
        for e in entries
    ]
    spark.sql(f"create database if not exists {META_SCHEMA}")
    spark.createDataFrame(rows, schema).write.mode("append").format("parquet").saveAsTable(AUDITS)


def blocking_failures_for_run(spark: SparkSession, run_id: str) -> list[str] | None:
    """Names of the run's failed blocking checks; None when the run recorded no audit."""
    if "audits" not in tables_in(spark, META_SCHEMA):
        return None
    rows = spark.sql(
        f"select check_name, severity, passed from {AUDITS} where run_id = {_literal(run_id)}"
    ).collect()
    if not rows:
        return None
    return sorted(r.check_name for r in rows if r.severity == "blocking" and not r.passed)
