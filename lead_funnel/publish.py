"""Write-audit-publish: make an audited build of the marts visible atomically.

A run builds the marts into `marts_build` inside the warehouse file and audits
them there. Publication then

1. writes a new DuckDB file beside the serve path (never the file BI tools have
   open), checkpointed and fsynced: a copy of the current serve file in which only the
   marts whose content changed are replaced (a digest per mart, `mart_digests`, is kept
   in the serve file), or a new file when there is no usable one;
2. replaces `marts.*` in the warehouse file in one transaction (the contract's
   promise: after a successful run the warehouse holds the results too);
3. renames the new file over the serve path — the commit point. A reader holding
   the old file keeps reading the old, complete snapshot (its open file is
   untouched); a new connection sees the new one.

Killed before step 3, the published serve file is exactly as it was; killed between
steps 2 and 3, the warehouse is one publication ahead of the serve file: the next start
rolls the serve file forward (`recover_interrupted_publication`). Leftovers are removed
by the next run. Nothing that carries an email address or a person's
name is published: every mart whose digest differs from the served one is scanned (an
unchanged mart was scanned when it was published).

A mart's digest is its columns (names and types, in order), its row count and the
order-free sum of its rows' hashes, salted with the DuckDB version (another version's
hash function only makes every mart look changed once).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from lead_funnel.data_health import HEALTH_SCHEMA, publish_data_health
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
MART_DIGESTS = "mart_digests"


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
    digest_seconds: float = 0.0
    personal_data_scan_seconds: float = 0.0
    required_free_bytes: int = 0
    # the marts copied into the serve file / into the warehouse's `marts` (the others were
    # unchanged: the previous copy stays)
    serve_copied: list[str] = field(default_factory=list)
    warehouse_copied: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MartDigest:
    digest: str
    row_count: int


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


def mart_digests(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str, relations: list[str]
) -> dict[str, MartDigest]:
    """Each relation's content digest (see the module's docstring) and row count."""
    digests = {}
    for relation in relations:
        columns = con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
            [catalog, schema, relation],
        ).fetchall()
        row_count, hash_sum = con.execute(
            f"select count(*), coalesce(sum(cast(hash(mart) as hugeint)), 0) "
            f'from "{catalog}"."{schema}"."{relation}" as mart'
        ).fetchone()
        text = f"{duckdb.__version__}|{columns!r}|{row_count}|{hash_sum}"
        digests[relation] = MartDigest(hashlib.sha256(text.encode()).hexdigest(), int(row_count))
    return digests


def _write_mart_digests(
    con: duckdb.DuckDBPyConnection, digests: dict[str, MartDigest], copied_by: dict[str, str]
) -> None:
    """The serve file's digest table: per mart its digest and the run that copied it."""
    con.execute(
        f'create table publication."{META_SCHEMA}".{MART_DIGESTS} '
        "(relation varchar, digest varchar, row_count bigint, copied_by_run_id varchar)"
    )
    for relation, digest in sorted(digests.items()):
        con.execute(
            f'insert into publication."{META_SCHEMA}".{MART_DIGESTS} values (?, ?, ?, ?)',
            [relation, digest.digest, digest.row_count, copied_by[relation]],
        )


def served_mart_digests(serve_path: Path) -> dict[str, tuple[str, str]]:
    """The served marts' digests with the run that copied each ({} without a usable file)."""
    if not serve_path.exists():
        return {}
    try:
        with duckdb.connect(str(serve_path), read_only=True) as con:
            if not relation_exists(con, META_SCHEMA, MART_DIGESTS):
                return {}
            rows = con.execute(
                f"select relation, digest, copied_by_run_id from {META_SCHEMA}.{MART_DIGESTS}"
            ).fetchall()
    except duckdb.Error:
        return {}
    return {relation: (digest, run_id) for relation, digest, run_id in rows}


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
            database = con.execute("select current_database()").fetchone()[0]
            digests = mart_digests(con, database, PUBLISHED_SCHEMA, relations)
            _write_mart_digests(con, digests, dict.fromkeys(relations, run_id))
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


def _open_serve_copy(
    con: duckdb.DuckDBPyConnection, serve_path: Path, temp_path: Path, keep: set[str]
) -> None:
    """Attach the new serve file as ``publication``: a byte copy of the served file holding
    only the marts in `keep` (what else it held is dropped), or a new file when `keep` is
    empty (nothing of the served file is reused)."""
    if not keep:
        attach_new_serve_file(con, temp_path)
        con.execute(f'create schema publication."{PUBLISHED_SCHEMA}"')
        con.execute(f'create schema publication."{META_SCHEMA}"')
        return
    shutil.copyfile(serve_path, temp_path)
    literal = "'" + str(temp_path).replace("'", "''") + "'"
    con.execute(f"attach {literal} as publication")  # the copy keeps its storage format
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = 'publication' "
        "and schema_name = ?",
        [PUBLISHED_SCHEMA],
    ).fetchall():
        if name not in keep:
            con.execute(f'drop table publication."{PUBLISHED_SCHEMA}"."{name}"')
    con.execute(f'drop schema if exists publication."{HEALTH_SCHEMA}" cascade')
    con.execute(f'drop schema if exists publication."{META_SCHEMA}" cascade')
    con.execute(f'create schema publication."{META_SCHEMA}"')


def _replace_warehouse_marts(
    con: duckdb.DuckDBPyConnection, relations: list[str], keep: set[str]
) -> list[str]:
    """Inside the caller's transaction: `marts` becomes the build's set, the marts in `keep`
    (equal to the build's) left in place, the others dropped and copied; returns the copied."""
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() "
        "and schema_name = ?",
        [PUBLISHED_SCHEMA],
    ).fetchall():
        if name not in keep:
            con.execute(f'drop table "{PUBLISHED_SCHEMA}"."{name}"')
    for (name,) in con.execute(
        "select view_name from duckdb_views() where database_name = current_database() "
        "and schema_name = ? and not internal",
        [PUBLISHED_SCHEMA],
    ).fetchall():
        con.execute(f'drop view "{PUBLISHED_SCHEMA}"."{name}"')
    copied = [relation for relation in relations if relation not in keep]
    _copy_relations(con, copied, "", PUBLISHED_SCHEMA)
    return copied


def publish_marts(settings: PipelineSettings, *, run_id: str, as_of: datetime) -> PublicationResult:
    """Publish everything in marts_build (already audited) to the serve file and `marts`,
    copying only the marts whose content changed."""
    started = time.perf_counter()
    serve_path = settings.serve_path
    serve_path.parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted_publication(settings)
    remove_stale_publications(serve_path)
    temp_path = temp_serve_path(serve_path, run_id)
    result = PublicationResult(run_id=run_id, as_of=as_of, serve_path=serve_path)
    served = served_mart_digests(serve_path)

    with connect(settings.database) as con:
        relations = tables_in_schema(con, BUILD_SCHEMA)
        if not relations:
            raise PublicationRefused(f"nothing to publish: {BUILD_SCHEMA} holds no tables")
        phase_started = time.perf_counter()
        database = con.execute("select current_database()").fetchone()[0]
        built = mart_digests(con, database, BUILD_SCHEMA, relations)
        result.relations = {relation: built[relation].row_count for relation in relations}
        result.digest_seconds = time.perf_counter() - phase_started
        serve_keep = {r for r in relations if r in served and served[r][0] == built[r].digest}
        # The warehouse's `marts` are all replaced: hashing them too (an analytics engineer's
        # `dbt build` may have written them) cost more than it saved when one appended day
        # changes 21 of the 23 marts (docs/benchmarks/NIGHT18.md).
        warehouse_keep: set[str] = set()
        result.serve_copied = [r for r in relations if r not in serve_keep]

        phase_started = time.perf_counter()
        findings = personal_data_findings(con, BUILD_SCHEMA, result.serve_copied)
        result.personal_data_scan_seconds = time.perf_counter() - phase_started
        if findings:
            raise PublicationRefused("personal data would be published: " + "; ".join(findings))
        result.required_free_bytes = required_free_bytes(con, serve_path)
        ensure_free_space(result.required_free_bytes, serve_path.parent)

        # 1. the new serve file, beside the old one: the unchanged marts kept, the rest copied
        phase_started = time.perf_counter()
        _open_serve_copy(con, serve_path, temp_path, serve_keep)
        try:
            first, rest = result.serve_copied[:1], result.serve_copied[1:]
            _copy_relations(con, first, "publication.", PUBLISHED_SCHEMA)
            checkpoint("publish:serve_copy")
            _copy_relations(con, rest, "publication.", PUBLISHED_SCHEMA)
            result.data_health = publish_data_health(con, "publication", run_id)
            con.execute(
                f'create table publication."{META_SCHEMA}".publication as select '
                "? as run_id, cast(? as timestamp) as as_of, "
                "cast(timezone('UTC', now()) as timestamp) as published_at, ? as relations",
                [run_id, as_of, sorted(relations)],
            )
            copied_by = {r: served[r][1] if r in serve_keep else run_id for r in relations}
            _write_mart_digests(con, built, copied_by)
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
        result.warehouse_copied = _replace_warehouse_marts(con, relations, warehouse_keep)
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
