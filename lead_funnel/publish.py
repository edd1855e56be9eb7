"""Write-audit-publish: make an audited build of the marts visible atomically.

A run builds the marts into `marts_build` inside the warehouse file and audits
them there. Publication then

1. copies them into a new DuckDB file beside the serve path (never the file BI
   tools have open), checkpointed and fsynced;
2. replaces `marts.*` in the warehouse file in one transaction (the contract's
   promise: after a successful run the warehouse holds the results too);
3. renames the new file over the serve path — the commit point. A reader holding
   the old file keeps reading the old, complete snapshot (its open file is
   untouched); a new connection sees the new one.

Killed before step 3, the published serve file is exactly as it was; killed between
steps 2 and 3, the warehouse is one publication ahead of the serve file: the next start
rolls the serve file forward (`recover_interrupted_publication`). Leftovers are removed
by the next run. Nothing that carries an email address or a person's
name is published.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from lead_funnel.data_health import publish_data_health
from lead_funnel.faults import checkpoint
from lead_funnel.gate import record_published_sources
from lead_funnel.settings import BUILD_SCHEMA, META_SCHEMA, PUBLISHED_SCHEMA, PipelineSettings
from lead_funnel.warehouse import connect, relation_exists, tables_in_schema

PERSONAL_COLUMN = re.compile(
    r"^(email|e_mail|first_name|last_name|full_name|user_name|name|phone|mobile_phone)$"
)
TEMP_SUFFIX = ".publishing"
# The serve file is written in a storage format every DuckDB 1.x client reads (what most
# BI drivers embed), not DuckDB 2.0's default; tests open it with a real duckdb 1.x.
SERVE_STORAGE_VERSION = "v1.0.0"
BYTES_PER_VALUE_ESTIMATE = 8


class PublicationRefused(RuntimeError):
    """The build must not be published (personal data, not enough disk, nothing built)."""


@dataclass
class PublicationResult:
    run_id: str
    as_of: datetime
    serve_path: Path
    relations: dict[str, int] = field(default_factory=dict)
    data_health: dict[str, int] = field(default_factory=dict)
    serve_bytes: int = 0
    seconds: float = 0.0
    serve_copy_seconds: float = 0.0
    warehouse_copy_seconds: float = 0.0
    required_free_bytes: int = 0


KEEP_ARTIFACTS = 30


def attach_new_serve_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Attach a new serve file as ``publication``, in the storage format DuckDB 1.x reads
    (the path is a SQL string literal: quotes in it are doubled, never interpreted)."""
    literal = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"attach {literal} as publication (storage_version '{SERVE_STORAGE_VERSION}')")


def prune_old_artifacts(directories: list[Path], keep: int = KEEP_ARTIFACTS) -> list[Path]:
    """Old builds' leftovers: keep the newest `keep` files of each artifact folder."""
    removed = []
    for directory in directories:
        if not directory.is_dir():
            continue
        files = sorted(
            (p for p in directory.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime
        )
        for old in files[:-keep] if keep else files:
            old.unlink(missing_ok=True)
            removed.append(old)
    return removed


def temp_serve_path(serve_path: Path, run_id: str) -> Path:
    return serve_path.with_name(f".{serve_path.name}.{run_id}{TEMP_SUFFIX}")


def remove_stale_publications(serve_path: Path) -> list[Path]:
    """Delete half-written serve files (and their WALs) left by killed runs."""
    removed = []
    for leftover in serve_path.parent.glob(f".{serve_path.name}.*{TEMP_SUFFIX}*"):
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def personal_data_findings(
    con: duckdb.DuckDBPyConnection, schema: str, relations: list[str]
) -> list[str]:
    """Columns that would publish people's emails or names, by name or by content."""
    findings = []
    for relation in relations:
        columns = con.execute(
            "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ?",
            [schema, relation],
        ).fetchall()
        text_columns = []
        for column, data_type in columns:
            if PERSONAL_COLUMN.match(column.lower()):
                findings.append(f"{relation}.{column}: a personal-data column")
            elif data_type.upper() == "VARCHAR":
                text_columns.append(column)
        if text_columns:
            counts = ", ".join(
                f"count(*) filter (where contains(\"{c}\", '@') "
                f'and regexp_matches("{c}", \'[^@\\s]+@[^@\\s]+\\.[a-zA-Z]+\')) as "{c}"'
                for c in text_columns
            )
            row = con.execute(f'select {counts} from "{schema}"."{relation}"').fetchone() or ()
            for column, hits in zip(text_columns, row, strict=True):
                if hits:
                    findings.append(f"{relation}.{column}: {hits} values look like email addresses")
    return findings


def estimated_bytes(con: duckdb.DuckDBPyConnection, schema: str) -> int:
    row = con.execute(
        "select coalesce(sum(estimated_size * column_count), 0) from duckdb_tables() where schema_name = ?",
        [schema],
    ).fetchone()
    return int(row[0] if row else 0) * BYTES_PER_VALUE_ESTIMATE


def required_free_bytes(con: duckdb.DuckDBPyConnection, serve_path: Path) -> int:
    """Twice the marts: the new serve file and the warehouse's copy of them."""
    previous = serve_path.stat().st_size if serve_path.exists() else 0
    return 2 * max(estimated_bytes(con, BUILD_SCHEMA), previous)


def ensure_free_space(required: int, directory: Path) -> None:
    free = shutil.disk_usage(directory).free
    if free < required:
        raise PublicationRefused(
            f"publication needs about {required / 1e9:.2f} GB free in {directory} "
            f"(twice the marts' size) but only {free / 1e9:.2f} GB is free; "
            "the previous publication is kept. Free some space and run again."
        )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_relations(
    con: duckdb.DuckDBPyConnection, relations: list[str], target_catalog: str, target_schema: str
) -> dict[str, int]:
    counts = {}
    for relation in relations:
        con.execute(
            f'create table {target_catalog}"{target_schema}"."{relation}" as '
            f'select * from "{BUILD_SCHEMA}"."{relation}"'
        )
        counts[relation] = con.execute(
            f'select count(*) from "{BUILD_SCHEMA}"."{relation}"'
        ).fetchone()[0]
    return counts


def ensure_meta_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The run log of the warehouse: publications (and audits, written by the audit step)."""
    con.execute(f"create schema if not exists {META_SCHEMA}")
    con.execute(
        f"create table if not exists {META_SCHEMA}.publications ("
        "run_id varchar, as_of timestamp, published_at timestamp, relations varchar[], serve_path varchar)"
    )


def _drop_published_objects(con: duckdb.DuckDBPyConnection) -> None:
    """Everything in `marts` goes: the new set replaces the old set whole."""
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = ?", [PUBLISHED_SCHEMA]
    ).fetchall():
        con.execute(f'drop table "{PUBLISHED_SCHEMA}"."{name}"')
    for (name,) in con.execute(
        "select view_name from duckdb_views() where schema_name = ? and not internal",
        [PUBLISHED_SCHEMA],
    ).fetchall():
        con.execute(f'drop view "{PUBLISHED_SCHEMA}"."{name}"')


def _serve_run_id(path: Path) -> str | None:
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        if not relation_exists(con, META_SCHEMA, "publication"):
            return None
        row = con.execute(f"select run_id from {META_SCHEMA}.publication").fetchone()
    return row[0] if row else None


def _last_warehouse_publication(settings: PipelineSettings) -> tuple[str, Path] | None:
    with connect(settings.database, read_only=True) as con:
        if not relation_exists(con, META_SCHEMA, "publications"):
            return None
        row = con.execute(
            f"select run_id, serve_path from {META_SCHEMA}.publications "
            "order by published_at desc limit 1"
        ).fetchone()
    return (row[0], Path(row[1])) if row else None


def _export_published_marts(settings: PipelineSettings, run_id: str, target: Path) -> None:
    """Write the warehouse's committed marts.* (run `run_id`) into a new serve file."""
    with connect(settings.database) as con:
        relations = tables_in_schema(con, PUBLISHED_SCHEMA)
        as_of = con.execute(
            f"select as_of from {META_SCHEMA}.publications where run_id = ?", [run_id]
        ).fetchone()[0]
        attach_new_serve_file(con, target)
        try:
            con.execute(f'create schema publication."{PUBLISHED_SCHEMA}"')
            for relation in relations:
                con.execute(
                    f'create table publication."{PUBLISHED_SCHEMA}"."{relation}" as '
                    f'select * from "{PUBLISHED_SCHEMA}"."{relation}"'
                )
            con.execute(f'create schema publication."{META_SCHEMA}"')
            con.execute(
                f'create table publication."{META_SCHEMA}".publication as select '
                "? as run_id, cast(? as timestamp) as as_of, "
                "cast(timezone('UTC', now()) as timestamp) as published_at, ? as relations",
                [run_id, as_of, sorted(relations)],
            )
            con.execute("checkpoint publication")
        finally:
            con.execute("detach publication")
    _fsync(target)


def recover_interrupted_publication(settings: PipelineSettings) -> str | None:
    """Make the serve file agree with the warehouse after a run killed before its rename.

    The warehouse's `marts` and `publications` are committed first (step 2), so they are
    the truth: roll the serve file forward to them, from the complete `.publishing` file
    the killed run left when there is one, else by writing it anew from `marts.*`.
    Returns what was done (None when both already agree).
    """
    if not settings.database.exists():
        return None
    last = _last_warehouse_publication(settings)
    serve_path = settings.serve_path
    if last is None or last[1] != serve_path or _serve_run_id(serve_path) == last[0]:
        return None
    run_id = last[0]
    left_behind = temp_serve_path(serve_path, run_id)
    wal = left_behind.with_name(left_behind.name + ".wal")
    if left_behind.exists() and not wal.exists() and _serve_run_id(left_behind) == run_id:
        how = (
            f"rolled the serve file forward to run {run_id} (its complete new file was left behind)"
        )
    else:
        left_behind.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        _export_published_marts(settings, run_id, left_behind)
        how = f"rewrote the serve file from the warehouse's marts of run {run_id}"
    os.replace(left_behind, serve_path)
    _fsync(serve_path.parent)
    return f"a previous run was stopped before its publication finished: {how}"


def publish_marts(settings: PipelineSettings, *, run_id: str, as_of: datetime) -> PublicationResult:
    """Publish everything in marts_build (already audited) to the serve file and `marts`."""
    started = time.perf_counter()
    serve_path = settings.serve_path
    serve_path.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_publication(settings)
    remove_stale_publications(serve_path)
    temp_path = temp_serve_path(serve_path, run_id)
    result = PublicationResult(run_id=run_id, as_of=as_of, serve_path=serve_path)

    with connect(settings.database) as con:
        relations = tables_in_schema(con, BUILD_SCHEMA)
        if not relations:
            raise PublicationRefused(f"nothing to publish: {BUILD_SCHEMA} holds no tables")
        findings = personal_data_findings(con, BUILD_SCHEMA, relations)
        if findings:
            raise PublicationRefused("personal data would be published: " + "; ".join(findings))
        result.required_free_bytes = required_free_bytes(con, serve_path)
        ensure_free_space(result.required_free_bytes, serve_path.parent)

        # 1. the new serve file, beside the old one
        phase_started = time.perf_counter()
        attach_new_serve_file(con, temp_path)
        try:
            con.execute(f'create schema publication."{PUBLISHED_SCHEMA}"')
            first, rest = relations[:1], relations[1:]
            result.relations = _copy_relations(con, first, "publication.", PUBLISHED_SCHEMA)
            checkpoint("publish:serve_copy")
            result.relations |= _copy_relations(con, rest, "publication.", PUBLISHED_SCHEMA)
            result.data_health = publish_data_health(con, "publication", run_id)
            con.execute(f'create schema publication."{META_SCHEMA}"')
            con.execute(
                f'create table publication."{META_SCHEMA}".publication as select '
                "? as run_id, cast(? as timestamp) as as_of, "
                "cast(timezone('UTC', now()) as timestamp) as published_at, ? as relations",
                [run_id, as_of, sorted(relations)],
            )
            con.execute("checkpoint publication")
        finally:
            con.execute("detach publication")
        _fsync(temp_path)
        result.serve_copy_seconds = time.perf_counter() - phase_started

        # 2. the warehouse's marts and the publication record, all or nothing
        phase_started = time.perf_counter()
        ensure_meta_tables(con)
        con.execute(f'create schema if not exists "{PUBLISHED_SCHEMA}"')
        con.execute("begin transaction")
        _drop_published_objects(con)
        _copy_relations(con, relations, "", PUBLISHED_SCHEMA)
        con.execute(
            f"insert into {META_SCHEMA}.publications values "
            "(?, ?, cast(timezone('UTC', now()) as timestamp), ?, ?)",
            [run_id, as_of, sorted(relations), str(serve_path)],
        )
        record_published_sources(con, run_id, settings.raw_schemas)
        checkpoint("publish:warehouse")
        con.execute("commit")
        con.execute("checkpoint")
        result.warehouse_copy_seconds = time.perf_counter() - phase_started

    # 3. the commit point
    checkpoint("publish:before_rename")
    os.replace(temp_path, serve_path)
    _fsync(serve_path.parent)
    result.serve_bytes = serve_path.stat().st_size
    prune_old_artifacts([settings.runs_dir, settings.alerts_dir])
    result.seconds = time.perf_counter() - started
    return result
