"""Every numeric setting lives in one seed row and reaches models and invariants through
int_settings: no defaults elsewhere, and a missing or misspelt key fails the build by name."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_quality.invariants import INVARIANTS
from lead_funnel.dbt_cli import dbt_environment, dbt_executable
from tests.conftest import REPO_ROOT

SETTINGS_SEEDS = (
    "scoring_settings",
    "quality_settings",
    "funnel_diagnostic_settings",
    "attribution_settings",
)


def seeded_values(seeds_dir: Path) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for seed in SETTINGS_SEEDS:
        with (seeds_dir / f"{seed}.csv").open() as handle:
            for row in csv.DictReader(handle):
                value = row["setting_value"].strip()
                values[row["setting"].strip().lower()] = float(value) if value else None
    return values


def build_settings(project: Path, database: Path) -> subprocess.CompletedProcess[str]:
    """`dbt build --select +int_settings` in a copy of the project (seeds, model, tests)."""
    project_dir = project / "dbt_project"
    return subprocess.run(
        [
            dbt_executable(),
            "build",
            "--select",
            "+int_settings",
            "--profiles-dir",
            str(project_dir),
        ],
        cwd=project_dir,
        env=dbt_environment(database),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("dbt_project", "seeds"):
        shutil.copytree(
            REPO_ROOT / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("target", "logs"),
        )
    return tmp_path


def test_int_settings_carries_every_seeded_value_and_every_setting_an_invariant_reads(
    project: Path, tmp_path: Path
) -> None:
    database = tmp_path / "settings.duckdb"
    completed = build_settings(project, database)
    assert completed.returncode == 0, completed.stdout[-3000:]
    with duckdb.connect(str(database), read_only=True) as con:
        frame = con.execute("select * from intermediate.int_settings").df()
    assert len(frame) == 1
    built = {
        column: None if pd.isna(frame[column].iloc[0]) else float(frame[column].iloc[0])
        for column in frame.columns
    }
    assert built == seeded_values(project / "seeds")
    assert built["fit_gate"] == 35 and built["mql_threshold"] == 60
    assert built["lookback_days"] is None  # empty in the seed: no lookback limit
    read_by_invariants = {s.name for invariant in INVARIANTS for s in invariant.settings}
    assert read_by_invariants == {"fit_gate", "mql_threshold", "sql_min_bant_flags"}
    assert read_by_invariants <= set(built)


def test_a_missing_or_misspelt_setting_fails_the_build_naming_it(
    project: Path, tmp_path: Path
) -> None:
    seed = project / "seeds" / "scoring_settings.csv"
    lines = seed.read_text().splitlines()
    kept = [line for line in lines if not line.startswith("mql_threshold,")]
    assert len(kept) == len(lines) - 1
    kept.append("mql_treshold,60,a typo")
    seed.write_text("\n".join(kept) + "\n")

    completed = build_settings(project, tmp_path / "settings.duckdb")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output[-3000:]
    assert "settings_are_complete_int_settings" in output
    assert '"audit"."settings_are_complete_int_settings_"' in output  # where dbt says to look
    with duckdb.connect(str(tmp_path / "settings.duckdb"), read_only=True) as con:
        problems = con.execute(
            "select setting, problem from audit.settings_are_complete_int_settings_ order by 1"
        ).fetchall()
    assert problems == [("mql_threshold", "missing"), ("mql_treshold", "unknown")]
