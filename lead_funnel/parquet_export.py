"""`lead-funnel run --export-parquet DIR`: the published marts as Parquet, one file per mart,
for tools that read files. Each file is written beside its final name and renamed over it,
so a reader sees a whole old file or a whole new one."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from lead_funnel.settings import PUBLISHED_SCHEMA
from lead_funnel.warehouse import tables_in_schema


def export_parquet(serve_path: Path, directory: Path) -> dict[str, int]:
    """Write `<directory>/<mart>.parquet` for every table in the serve file's marts."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(serve_path), read_only=True) as con:
        for relation in tables_in_schema(con, PUBLISHED_SCHEMA):
            final = directory / f"{relation}.parquet"
            temporary = directory / f".{relation}.parquet.tmp"
            con.execute(
                f'copy (select * from {PUBLISHED_SCHEMA}."{relation}") '
                f"to '{temporary}' (format parquet)"
            )
            os.replace(temporary, final)
            counts[relation] = con.execute(
                f'select count(*) from {PUBLISHED_SCHEMA}."{relation}"'
            ).fetchone()[0]
    return counts
