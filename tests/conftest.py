"""Shared fixtures: warehouses built once per session by the real pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from lead_funnel.telemetry import disable_telemetry
from lead_funnel_tools.raw_writer import write_raw_tables

disable_telemetry()
os.environ.pop("DAGSTER_HOME", None)  # tests use ephemeral Dagster instances
os.environ["LEAD_FUNNEL_DAGSTER_INSTANCE"] = "ephemeral"  # not <artifacts>/dagster_home
os.environ.pop("LEAD_FUNNEL_FAULT_AT", None)

REPO_ROOT = Path(__file__).resolve().parents[1]


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
