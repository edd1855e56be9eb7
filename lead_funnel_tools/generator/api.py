"""``generate`` and ``append_days``: the generator's public entry points.

``generate`` (re)creates ``raw_salesforce`` and ``raw_marketo`` (never touching other schemas)
and lands a simulated world up to ``start + days``. The world's definition (seed, start, lead
rate, bad-input rate, blocks, window end) is kept in ``lead_funnel_generator.state`` so that
``append_days`` can land the next days the way a connector would: it re-simulates the existing
blocks identically, adds blocks of new leads for the new days, and inserts only what syncs
after the old window end (new rows, late-arriving rows, re-synced copies of changed rows).
The pipeline never reads ``lead_funnel_generator``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb

from lead_funnel.contract import raw_tables_by_key
from lead_funnel_tools.generator.report import GenerationReport, Progress, RssSampler
from lead_funnel_tools.generator.runner import land
from lead_funnel_tools.generator.worktime import DAY, to_datetime, to_seconds
from lead_funnel_tools.generator.world import World, WorldSpec
from lead_funnel_tools.generator.writer import (
    RAW_SCHEMAS,
    STATE_SCHEMA,
    prepare,
    recreate_raw_schemas,
)

BEGINNING = -(2**62)


class ForeignRawSchemaError(RuntimeError):
    """The file's raw schemas hold tables this generator did not write."""


def require_generated_or_empty(con: duckdb.DuckDBPyConnection, database: Path) -> None:
    """Refuse to drop raw schemas holding data unless this generator wrote them.

    ``generate`` records its world in ``lead_funnel_generator.state``; a file whose
    raw_salesforce / raw_marketo hold tables without that record holds someone's real
    (or imported) data.
    """
    placeholders = ", ".join("?" for _ in RAW_SCHEMAS)
    rows = con.execute(
        "select schema_name, count(*), sum(estimated_size) from duckdb_tables() "
        f"where database_name = current_database() and schema_name in ({placeholders}) "
        "group by 1 order by 1",
        list(RAW_SCHEMAS),
    ).fetchall()
    if not rows:
        return
    try:
        marker = con.execute(
            f"select count(*) from {STATE_SCHEMA}.state where key = 'world'"
        ).fetchone()
    except duckdb.CatalogException:
        marker = None
    if marker and marker[0]:
        return
    held = ", ".join(
        f"{schema} ({tables} tables, ~{int(size or 0):,} rows)" for schema, tables, size in rows
    )
    raise ForeignRawSchemaError(
        f"{database} already holds {held}, not written by lead-funnel generate "
        f"(no {STATE_SCHEMA}.state): generating would drop them. Use another --database "
        "for demo data, or add --force to replace them."
    )


def _connect(database: Path) -> duckdb.DuckDBPyConnection:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database))
    prepare(con)
    return con


def _save_state(con: duckdb.DuckDBPyConnection, spec: WorldSpec) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {STATE_SCHEMA}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {STATE_SCHEMA}.state (key VARCHAR, value VARCHAR)")
    con.execute(f"DELETE FROM {STATE_SCHEMA}.state WHERE key = 'world'")
    con.execute(f"INSERT INTO {STATE_SCHEMA}.state VALUES ('world', ?)", [spec.to_json()])


def _load_state(con: duckdb.DuckDBPyConnection) -> WorldSpec:
    try:
        row = con.execute(f"SELECT value FROM {STATE_SCHEMA}.state WHERE key = 'world'").fetchone()
    except duckdb.CatalogException as error:
        raise ValueError("no generator state in this database: run generate first") from error
    if row is None:
        raise ValueError("no generator state in this database: run generate first")
    return WorldSpec.from_json(row[0])


def _totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    out = {}
    for name, table in raw_tables_by_key().items():
        out[name] = int(con.execute(f"SELECT count(*) FROM {table.qualified_name}").fetchone()[0])
    return out


def generate(
    database: Path,
    *,
    leads: int = 20_000,
    seed: int = 42,
    start: dt.date = dt.date(2025, 1, 1),
    days: int = 365,
    bad_rate: float = 0.01,
    progress: bool = True,
    force: bool = False,
) -> GenerationReport:
    """(Re)create the raw schemas in ``database`` with a realistic synthetic data set.

    Raw schemas another tool wrote are replaced only with ``force``.
    """
    if leads < 1 or days < 1:
        raise ValueError("leads and days must be positive")
    if not 0 <= bad_rate < 0.5:
        raise ValueError("bad_rate must be in [0, 0.5)")
    began = time.perf_counter()
    start_s = to_seconds(start)
    end = start_s + days * DAY
    spec = WorldSpec(int(seed), start.isoformat(), int(leads), int(days), float(bad_rate), end)
    spec.add_blocks(int(leads), start_s, end, int(seed))
    world = World(spec)
    with RssSampler() as rss:
        con = _connect(database)
        try:
            if not force:
                require_generated_or_empty(con, Path(database))
            recreate_raw_schemas(con)
            bar = Progress("generate", len(spec.blocks) + 1, progress)
            rows = land(con, world, BEGINNING, end, bar, commit_each_block=False)
            _save_state(con, spec)
            con.execute("CHECKPOINT")
            totals = _totals(con)
        finally:
            con.close()
    return GenerationReport(
        database=Path(database),
        mode="generate",
        rows={name: rows.get(name, 0) for name in raw_tables_by_key()},
        total_rows=totals,
        seconds=time.perf_counter() - began,
        peak_rss_bytes=rss.peak,
        parameters={
            "leads": leads,
            "seed": seed,
            "start": start.isoformat(),
            "days": days,
            "bad_rate": bad_rate,
        },
        window_start=to_datetime(start_s),
        window_end=to_datetime(end),
    )


def append_days(
    database: Path, *, days: int, seed: int | None = None, progress: bool = True
) -> GenerationReport:
    """Land ``days`` more days of connector data into a file made by ``generate``.

    New leads arrive at the original daily rate (their random streams use ``seed``, by
    default the original seed); open cycles of existing leads progress; rows late for the
    previous load arrive now; changed leads, opportunities, tasks ... are re-synced.
    """
    if days < 1:
        raise ValueError("days must be positive")
    began = time.perf_counter()
    with RssSampler() as rss:
        con = _connect(database)
        try:
            spec = _load_state(con)
            e_prev = spec.window_end
            e_now = e_prev + days * DAY
            block_seed = spec.seed if seed is None else int(seed)
            new_leads = max(1, round(spec.leads_per_day * days))
            spec.add_blocks(new_leads, e_prev, e_now, block_seed)
            spec.window_end = e_now
            spec.appends += 1
            world = World(spec)
            bar = Progress("append", len(spec.blocks) + 1, progress)
            con.execute("BEGIN TRANSACTION")
            rows = land(con, world, e_prev, e_now, bar, commit_each_block=False)
            _save_state(con, spec)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            totals = _totals(con)
        finally:
            con.close()
    return GenerationReport(
        database=Path(database),
        mode="append",
        rows={name: rows.get(name, 0) for name in raw_tables_by_key()},
        total_rows=totals,
        seconds=time.perf_counter() - began,
        peak_rss_bytes=rss.peak,
        parameters={
            "days": days,
            "seed": block_seed,
            "new_leads": new_leads,
            "world_seed": spec.seed,
            "appends": spec.appends,
        },
        window_start=to_datetime(spec.start_s),
        window_end=to_datetime(e_now),
        appended_from=to_datetime(e_prev),
    )
