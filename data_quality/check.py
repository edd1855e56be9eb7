"""`lead-funnel check`: the stage-definition invariants on the marts as they stand.

`--engine spark --warehouse-dir DIR`: the same rules and GX suites on the `marts` views of the
Spark warehouse (what the publication pointer names), nothing written either.

For an analytics engineer who just rebuilt a model with dbt: the same GX checks the
nightly run uses, on `marts` in the warehouse file, opened read-only (nothing is
written to it; failing rows are shown, not stored).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lead_funnel.settings import PUBLISHED_SCHEMA, PipelineSettings
from lead_funnel.warehouse import (
    UnreadableWarehouseError,
    WarehouseLockedError,
    connect,
    tables_in_schema,
)

if TYPE_CHECKING:
    from data_quality.report import CheckReport


def check_published_marts(database: Path, *, data_docs_dir: Path | None = None) -> int:
    """Run every invariant; print the report; 1 if a blocking invariant failed, else 0."""
    from data_quality import run_checks

    settings = PipelineSettings.resolve(database)
    if not settings.database.exists():
        print(f"lead-funnel check: {settings.database} does not exist", file=sys.stderr)
        return 2
    docs = data_docs_dir or settings.artifacts_dir / "data_docs_check"
    try:
        with connect(settings.database, read_only=True) as con:
            if not tables_in_schema(con, PUBLISHED_SCHEMA):
                print(
                    f"lead-funnel check FAILED: {settings.database} holds no marts (schema "
                    f"{PUBLISHED_SCHEMA} has no tables), so there is nothing to check. Run "
                    f"`lead-funnel run --database {settings.database}` first, or point "
                    "--database at the warehouse file a run published to.",
                    file=sys.stderr,
                )
                return 2
            report = run_checks(con, marts_schema=PUBLISHED_SCHEMA, data_docs_dir=docs)
    except (WarehouseLockedError, UnreadableWarehouseError) as error:
        print(f"lead-funnel check FAILED: {error}", file=sys.stderr)
        return 2
    return print_report(report)


def check_published_spark_marts(warehouse_dir: Path | None, *, data_docs_dir: Path | None) -> int:
    """Run every invariant; print the report; 1 if a blocking one failed, 2 if it cannot run."""
    from data_quality.spark_runner import run_checks_on_spark
    from lead_funnel.spark_engine import (
        SparkEngineError,
        open_session,
        pipeline_settings,
        require_warehouse_dir,
        stop_session,
        tables_in,
    )

    try:
        directory = require_warehouse_dir(warehouse_dir)
        if not (directory / "metastore_db").exists():
            raise SparkEngineError(
                f"{directory} holds no Spark catalog (metastore_db): run "
                f"`lead-funnel run --engine spark --warehouse-dir {directory}` first"
            )
        spark = open_session(directory)
    except SparkEngineError as error:
        print(f"lead-funnel check FAILED: {error}", file=sys.stderr)
        return 2
    try:
        if not tables_in(spark, PUBLISHED_SCHEMA):
            print(
                f"lead-funnel check FAILED: the Spark warehouse {directory} holds no marts "
                f"(database {PUBLISHED_SCHEMA} is empty or absent), so there is nothing to "
                f"check. Run `lead-funnel run --engine spark --warehouse-dir {directory}` first.",
                file=sys.stderr,
            )
            return 2
        docs = data_docs_dir or pipeline_settings(directory).artifacts_dir / "data_docs_check"
        report = run_checks_on_spark(
            spark, marts_schema=PUBLISHED_SCHEMA, data_docs_dir=docs, store_failures=False
        )
    finally:
        stop_session()
    return print_report(report)


def print_report(report: CheckReport) -> int:
    """The check's report on stdout, its blocking failures on stderr: 1 if any, else 0."""
    print(report.render_text())
    if report.data_docs_index:
        print(f"\nData Docs: {report.data_docs_index}")
    if report.blocking_failures:
        names = ", ".join(result.name for result in report.blocking_failures)
        print(f"\nFAILED blocking checks: {names}", file=sys.stderr)
        return 1
    return 0
