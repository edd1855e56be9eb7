"""Shared fixtures: warehouses built once per session by the real pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lead_funnel.telemetry import disable_telemetry
from lead_funnel_tools.raw_writer import write_raw_tables

disable_telemetry()
# An xdist worker's __main__ is execnet's bootstrap: no __spec__, no __file__. pyspark takes
# that for a doctest run and, without Spark Connect's grpc packages, calls sys.exit(0) when
# `pyspark.sql.connect` is imported (GX imports it). Name the worker's main module a file.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"
os.environ.pop("DAGSTER_HOME", None)  # tests use ephemeral Dagster instances
os.environ["LEAD_FUNNEL_DAGSTER_INSTANCE"] = "ephemeral"  # not <artifacts>/dagster_home
os.environ.pop("LEAD_FUNNEL_FAULT_AT", None)

REPO_ROOT = Path(__file__).resolve().parents[1]
# the tests' Spark settings for tables of a few hundred rows (tests/spark/conf), in every
# Spark JVM a test starts, in its own process or in a `lead-funnel` command's
os.environ.setdefault("SPARK_CONF_DIR", str(REPO_ROOT / "tests" / "spark" / "conf"))


SPARK_TESTS = "tests/spark/"


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`make test` runs on two xdist workers (`-n 2`): a test module stays on one worker (its
    module fixtures are built once), and every test under tests/spark/ goes to one worker, one
    Spark module after another (one JVM at a time beside the DuckDB tests). xdist's own
    `loadgroup` cannot say this: it renames node ids, which pytest 9 no longer reads."""
    from xdist.scheduler import LoadScopeScheduling

    class SparkApartScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "spark" if path.startswith(SPARK_TESTS) else path

    return SparkApartScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The Spark tests first: with `-n 2 --no-loadscope-reorder` the longest unit of work
    starts at once, and the other worker takes the DuckDB modules meanwhile."""
    items.sort(key=lambda item: not item.nodeid.startswith(SPARK_TESTS))


def lead_funnel_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed `lead-funnel` command as a user would."""
    executable = Path(sys.executable).with_name("lead-funnel")
    return subprocess.run(
        [str(executable), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def handbuilt_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The hand-built scenario (tests/scenarios/handbuilt.py), run once through `lead-funnel run`."""
    from tests.scenarios.handbuilt import AS_OF, build_rows, land_connector_formats

    directory = tmp_path_factory.mktemp("handbuilt")
    database = directory / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, build_rows())
        land_connector_formats(con)
    completed = lead_funnel_cli(
        "run", "--database", str(database), "--as-of", AS_OF.strftime("%Y-%m-%d %H:%M:%S")
    )
    return {
        "database": database,
        "serve": directory / "warehouse.serve.duckdb",
        "completed": completed,
        "as_of": AS_OF,
    }


@pytest.fixture(scope="session")
def generated_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """3,000 generated leads over 120 days, run once through the nightly job (in-process)."""
    from datetime import date, timedelta

    from lead_funnel.run_parameters import RunParameters
    from lead_funnel.settings import PipelineSettings
    from lead_funnel_tools.generator import generate
    from orchestration.pipeline import run_pipeline

    directory = tmp_path_factory.mktemp("generated")
    database = directory / "warehouse.duckdb"
    report = generate(
        database, leads=3000, seed=7, start=date(2025, 1, 1), days=120, progress=False
    )
    as_of = report.window_end + timedelta(hours=2)
    parameters = RunParameters(PipelineSettings.resolve(database), as_of=as_of)
    outcome = run_pipeline(parameters, progress=False)
    assert outcome.success, "\n".join(outcome.failures)
    return {"directory": directory, "database": database, "as_of": as_of, "outcome": outcome}


def as_of_text(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")
