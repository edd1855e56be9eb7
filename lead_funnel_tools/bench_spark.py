"""The Spark side of `lead-funnel bench --engines duckdb,spark`: the DuckDB side's nights on
local Spark, on the same generated raw file, and the published marts of both compared.

For one size, after the DuckDB side has run (bench.bench_size), each step in its own
process with the peak memory of its whole process tree (the JVM included):

* **copy** — `lead-funnel copy-raw` lands a copy of the generated raw file in a Spark
  warehouse directory (beside generation: the Spark side's "load");
* **full** — `lead-funnel run --engine spark` at the DuckDB full run's as-of (a first run on
  an empty warehouse builds every incremental model whole);
* **append + copy** — the DuckDB side's generator command appends the same day to the raw
  copy (its raw row count is checked against the DuckDB copies'), then copy-raw again;
* **incremental** — `lead-funnel run --engine spark` at the as-of of DuckDB's night;
* **equality** — every published `marts` table on Spark against the DuckDB night's serve
  file, and the reconciliation and quarantine tables against its warehouse file, floats to
  lead_funnel_tools.compare.FLOAT_TOLERANCE.

Keys of the DuckDB row the results join are `spark_*`; `report_lines` renders them.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lead_funnel_tools.bench import (
    GIB,
    PHASES,
    Measured,
    _cli,
    _raw_rows,
    _require,
    artifact_phases,
    measure,
)
from lead_funnel_tools.compare import (
    RowDifference,
    compared_columns,
    duckdb_row_count,
    duckdb_rows,
    duckdb_table_names,
    spark_rows,
    tolerant_differences,
)

SPARK = "spark"
ENGINES = ("duckdb", SPARK)
# the dbt-built audit tables beside the marts: on DuckDB in the warehouse file
AUDIT_TABLES = (
    ("audit", "reconciliation_raw_rows"),
    ("quarantine", "quarantine_salesforce"),
    ("quarantine", "quarantine_marketo"),
)


def parse_engines(text: str) -> tuple[str, ...]:
    """`duckdb` or `duckdb,spark`: the DuckDB side always runs (Spark is compared with it)."""
    engines = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in engines if name not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engine {', '.join(unknown)} (the engines: {', '.join(ENGINES)})")
    if "duckdb" not in engines:
        raise ValueError("the bench compares Spark with DuckDB: --engines duckdb,spark")
    return engines


@dataclass(frozen=True)
class SparkNight:
    """What the Spark side needs from the DuckDB side of one size."""

    leads: int
    pristine: Path  # the generated raw file, before the appended day
    full_as_of: datetime
    night_as_of: datetime
    appended_raw_rows: int  # the DuckDB copies' raw rows after the appended day
    duckdb_warehouse: Path  # the DuckDB night's warehouse file
    duckdb_serve: Path  # and its serve file
    directory: Path  # the size's bench directory


def _as_of(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def _step(command: list[str], env: dict[str, str], log: Path, what: str) -> Measured:
    measured = measure(command, env=env, log=log)
    _require(measured, f"spark: {what}")
    return measured


def _copy_raw(raw: Path, warehouse_dir: Path, env: dict[str, str], log: Path) -> Measured:
    return _step(
        _cli("copy-raw", "--database", str(raw), "--engine", SPARK, "--warehouse-dir", str(warehouse_dir)),
        env, log, "copy-raw",
    )  # fmt: skip


def _run(warehouse_dir: Path, as_of: datetime, env: dict[str, str], log: Path, kind: str) -> Measured:  # fmt: skip
    return _step(
        _cli("run", "--engine", SPARK, "--warehouse-dir", str(warehouse_dir), "--as-of", _as_of(as_of), "--quiet"),
        env, log, f"{kind} run",
    )  # fmt: skip


def spark_phases(warehouse_dir: Path, total_seconds: float) -> dict[str, float]:
    """The latest Spark run's phases, from its run summary and dbt's results under
    DIR/spark_artifacts (the same phases as a DuckDB run's)."""
    from lead_funnel.spark_engine import pipeline_settings

    settings = pipeline_settings(warehouse_dir)
    return artifact_phases(settings.runs_dir, settings.dbt_target_dir, total_seconds)


def _run_figures(kind: str, run: Measured, warehouse_dir: Path) -> dict[str, float]:
    figures = {
        f"spark_{kind}_s": run.seconds,
        f"spark_{kind}_cpu_s": run.cpu_seconds,
        f"spark_{kind}_peak_gib": run.peak_bytes / GIB,
    }
    for phase, seconds in spark_phases(warehouse_dir, run.seconds).items():
        figures[f"spark_{kind}_{phase}_s"] = seconds
    return figures


def _copy_of(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def bench_spark_night(night: SparkNight, env: dict[str, str], log: list[str]) -> dict[str, Any]:
    """The Spark side of one size: the figures (`spark_*` keys) to join the DuckDB row."""
    directory = night.directory / SPARK
    raw = _copy_of(night.pristine, directory / "raw.duckdb")
    warehouse_dir = directory / "warehouse"
    row = _full_night(night, raw, warehouse_dir, env, log)
    row |= _appended_night(night, raw, warehouse_dir, env, log)
    row |= _compare_in_own_process(night, warehouse_dir, env, directory)
    _say(log, f"{night.leads:>9,} leads: Spark's night against DuckDB's: {row['spark_equal_tables']} "
              f"tables, {row['spark_equal_rows']:,} rows, {row['spark_differing_rows']} differing"
              + (f" {row['spark_differing_tables']}" if row["spark_differing_tables"] else ""))  # fmt: skip
    return row


def _full_night(
    night: SparkNight, raw: Path, warehouse_dir: Path, env: dict[str, str], log: list[str]
) -> dict[str, Any]:
    """copy-raw of the generated file, then the full run at DuckDB's full as-of."""
    copied = _copy_raw(raw, warehouse_dir, env, warehouse_dir.parent / "copy-raw.log")
    full = _run(warehouse_dir, night.full_as_of, env, warehouse_dir.parent / "run-full.log", "full")
    _say(log, f"{night.leads:>9,} leads, spark: copy {copied.seconds:.1f}s, full run "
              f"{full.seconds:.1f}s, peak {full.peak_bytes / GIB:.2f} GiB")  # fmt: skip
    return {
        "spark_copy_s": copied.seconds,
        "spark_copy_peak_gib": copied.peak_bytes / GIB,
        **_run_figures("full", full, warehouse_dir),
    }


def _appended_night(
    night: SparkNight, raw: Path, warehouse_dir: Path, env: dict[str, str], log: list[str]
) -> dict[str, Any]:
    """The DuckDB side's appended day into the raw copy, copy-raw again, the incremental run."""
    directory = warehouse_dir.parent
    append = _step(_cli("generate", "--database", str(raw), "--append-days", "1", "--quiet"),
                   env, directory / "append.log", "append")  # fmt: skip
    if _raw_rows(raw) != night.appended_raw_rows:
        raise RuntimeError(
            f"spark: the appended day differs from the DuckDB side's: {_raw_rows(raw)} raw rows "
            f"against {night.appended_raw_rows}"
        )
    recopied = _copy_raw(raw, warehouse_dir, env, directory / "copy-raw-append.log")
    incremental = _run(warehouse_dir, night.night_as_of, env, directory / "run-incremental.log", "incremental")  # fmt: skip
    _say(log, f"{night.leads:>9,} leads, spark: append + copy {append.seconds + recopied.seconds:.1f}s, "
              f"incremental run {incremental.seconds:.1f}s, peak {incremental.peak_bytes / GIB:.2f} GiB")  # fmt: skip
    return {
        "spark_append_s": append.seconds,
        "spark_append_copy_s": recopied.seconds,
        **_run_figures("incremental", incremental, warehouse_dir),
    }


def _say(log: list[str], line: str) -> None:
    log.append(line)
    print(line, flush=True)


# ------------------------------------------------------------------------------- equality


def _compare_in_own_process(
    night: SparkNight, warehouse_dir: Path, env: dict[str, str], directory: Path
) -> dict[str, Any]:
    """The comparison in its own process (a Spark session holds the warehouse's metastore)."""
    result_file = directory / "equality.json"
    command = [
        sys.executable, "-P", "-m", "lead_funnel_tools.bench_spark",
        str(warehouse_dir), str(night.duckdb_serve), str(night.duckdb_warehouse), str(result_file),
    ]  # fmt: skip
    compared = _step(command, env, directory / "equality.log", "equality with DuckDB")
    results = json.loads(result_file.read_text())
    rows = {name: entry[0] for name, entry in results.items()}
    differences = {name: RowDifference(*entry[1:]) for name, entry in results.items()}
    return equality_figures(rows, differences) | {"spark_equal_s": compared.seconds}


def equality_figures(rows: dict[str, int], differences: dict[str, RowDifference]) -> dict[str, Any]:
    """Tables compared, DuckDB rows, differing rows (both sides) and the tables that differ."""
    differing = {name: d.total for name, d in differences.items() if d.total}
    return {
        "spark_equal_tables": len(differences),
        "spark_equal_rows": sum(rows.values()),
        "spark_differing_rows": sum(differing.values()),
        "spark_differing_tables": " ".join(f"{name}:{count}" for name, count in sorted(differing.items())),
    }  # fmt: skip


def compared_relations(duckdb_serve: Path, spark_marts: list[str]) -> list[tuple[str, str]]:
    """(schema, table) of every relation to compare: each mart either engine published (one
    missing on a side counts all its rows as differing), then the audit tables."""
    marts = sorted(set(duckdb_table_names(duckdb_serve, "marts")) | set(spark_marts))
    return [("marts", name) for name in marts] + list(AUDIT_TABLES)


def compare_engines(
    warehouse_dir: Path, duckdb_serve: Path, duckdb_warehouse: Path
) -> dict[str, tuple[int, int, int, str | None]]:
    """Per table: (DuckDB rows, rows only on Spark, rows only on DuckDB, first difference);
    the marts from the serve file, the audit tables from the warehouse file."""
    from lead_funnel.spark_engine import spark_session, tables_in

    results: dict[str, tuple[int, int, int, str | None]] = {}
    with spark_session(warehouse_dir) as spark:
        for schema, table in compared_relations(duckdb_serve, tables_in(spark, "marts")):
            source = duckdb_serve if schema == "marts" else duckdb_warehouse
            results[f"{schema}.{table}"] = _compare_one(spark, source, schema, table)
    return results


def _compare_one(spark: Any, duckdb_file: Path, schema: str, table: str) -> tuple[int, int, int, str | None]:  # fmt: skip
    from lead_funnel.spark_engine import tables_in

    relation = f"{schema}.{table}"
    on_spark = table in tables_in(spark, schema)
    on_duckdb = table in duckdb_table_names(duckdb_file, schema)
    if not (on_spark and on_duckdb):
        rows = duckdb_row_count(duckdb_file, schema, table) if on_duckdb else 0
        spark_count = spark.table(relation).count() if on_spark else 0
        return rows, spark_count, rows, f"only on {'Spark' if on_spark else 'DuckDB'}"
    columns = compared_columns(spark.table(relation).columns)
    duck = duckdb_rows(duckdb_file, schema, table, columns)
    difference = tolerant_differences(
        spark_rows(spark, relation, columns), duck, names=("Spark", "DuckDB")
    )
    return len(duck), difference.only_left, difference.only_right, difference.first


def main(argv: list[str]) -> int:
    """`python -m lead_funnel_tools.bench_spark WAREHOUSE_DIR SERVE WAREHOUSE RESULT.json`"""
    warehouse_dir, serve, warehouse, result = (Path(arg) for arg in argv)
    results = compare_engines(warehouse_dir, serve, warehouse)
    result.write_text(json.dumps(results, indent=1) + "\n")
    for name, (rows, only_spark, only_duckdb, first) in results.items():
        print(f"{name}: {rows} rows, {only_spark} only on Spark, {only_duckdb} only on DuckDB"
              + (f"; first: {first}" if first else ""))  # fmt: skip
    return 0


# ------------------------------------------------------------------------------ reporting


def report_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The DuckDB-against-Spark section of docs/benchmarks/README.md ([] without Spark rows)."""
    measured = [row for row in rows if "spark_full_s" in row]
    if not measured:
        return []
    lines = [
        "",
        "## DuckDB against Spark (local[2]) on the same generated data",
        "",
        "Reproduce: `lead-funnel bench --engines duckdb,spark --sizes "
        + ",".join(str(row["leads"]) for row in measured)
        + "`.",
        "",
        "Seconds and GiB (peak RSS of the whole process tree, the JVM included). Spark's copy "
        "is `lead-funnel copy-raw` of the generated file; its append is the same generator "
        "command then copy-raw again.",
        "",
        "| leads | engine | generate | copy | full run | full CPU | full peak | append + copy "
        "| incremental | incr. CPU | incr. peak | incr. ÷ full |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in measured:
        lines += [_engine_line(row, "duckdb"), _engine_line(row, SPARK)]
    lines += [
        "",
        "### Spark's night against DuckDB's",
        "",
        "Every published `marts` table (Spark's `marts` views against the DuckDB night's serve "
        "file) and the reconciliation and quarantine tables (against its warehouse file), rows "
        "as multisets, floats to a relative 1e-9; engine-specific digest columns left out.",
        "",
        "| leads | tables | rows (DuckDB) | differing rows | tables that differ | compare (s) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {row['leads']:,} | {row['spark_equal_tables']} | {row['spark_equal_rows']:,} | "
        f"{row['spark_differing_rows']} | {row['spark_differing_tables'] or '—'} | "
        f"{row['spark_equal_s']:.1f} |"
        for row in measured
    ]
    return lines + _phase_lines(measured)


def _key(engine: str, kind: str, phase: str) -> str:
    """A phase's key in the row: `full_dbt_parse_s` on DuckDB, `spark_full_dbt_parse_s`."""
    return f"{'' if engine == 'duckdb' else 'spark_'}{kind}_{phase}_s"


def _engine_line(row: dict[str, Any], engine: str) -> str:
    prefix = "" if engine == "duckdb" else "spark_"
    full, incremental = row[f"{prefix}full_s"], row[f"{prefix}incremental_s"]
    copy = f"{row['spark_copy_s']:.1f}" if engine == SPARK else "—"
    append = row[f"{prefix}append_s"] + (row["spark_append_copy_s"] if engine == SPARK else 0.0)
    return (
        f"| {row['leads']:,} | {engine} | {row['generate_s']:.1f} | {copy} | {full:.1f} | "
        f"{row.get(f'{prefix}full_cpu_s', 0.0):.1f} | {row[f'{prefix}full_peak_gib']:.2f} | "
        f"{append:.1f} | {incremental:.1f} | {row.get(f'{prefix}incremental_cpu_s', 0.0):.1f} | "
        f"{row[f'{prefix}incremental_peak_gib']:.2f} | {incremental / full:.0%} |"
    )


def _phase_lines(rows: list[dict[str, Any]]) -> list[str]:
    columns = [
        (row, kind, engine)
        for row in rows
        for kind in ("full", "incremental")
        for engine in ("duckdb", SPARK)
    ]
    lines = [
        "",
        "### By phase, DuckDB against Spark (seconds)",
        "",
        "| phase | " + " | ".join(f"{row['leads']:,} {kind} {engine}" for row, kind, engine in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]  # fmt: skip
    for phase in PHASES:
        cells = [f"{row[_key(engine, kind, phase)]:.1f}" for row, kind, engine in columns]
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
