"""The dbt project's own checks: its unit tests (every tricky rule) and its SQL style."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from data_quality import INVARIANTS_BY_NAME
from lead_funnel.dbt_cli import run_dbt
from lead_funnel.paths import DBT_PROJECT_DIR, REPO_ROOT

pytestmark = pytest.mark.slow


def test_dbt_unit_tests_pass(handbuilt_run: dict[str, Any], tmp_path: Path) -> None:
    """dbt `unit_tests:` compile against the relations the pipeline built for the hand-built scenario."""
    assert handbuilt_run["completed"].returncode == 0
    completed = run_dbt(
        ["test", "--select", "test_type:unit"],
        database=handbuilt_run["database"],
        as_of=handbuilt_run["as_of"],
        marts_schema="marts_build",
        target_path=tmp_path / "target",
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    done = [line for line in output.splitlines() if "Done. PASS=" in line][-1]
    passed = int(done.split("PASS=")[1].split()[0])
    assert passed >= 25 and "ERROR=0" in done, done


def test_sqlfluff_passes_on_every_model(tmp_path: Path) -> None:
    sqlfluff = Path(sys.executable).with_name("sqlfluff")
    completed = subprocess.run(
        [str(sqlfluff), "lint", "models", "--processes", "2"],
        cwd=DBT_PROJECT_DIR,
        # as a developer lints: no run's as-of or schemas left in the environment
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("LEAD_FUNNEL_")},
            "LEAD_FUNNEL_DATABASE": str(tmp_path / "lint.duckdb"),
        },
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]


def test_sqlfluff_passes_on_every_invariant() -> None:
    """The GX invariants' SQL files, placeholders and all (data_quality/rules/.sqlfluff)."""
    sqlfluff = Path(sys.executable).with_name("sqlfluff")
    completed = subprocess.run(
        [str(sqlfluff), "lint", ".", "--format", "json"],
        cwd=REPO_ROOT / "data_quality" / "rules",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    linted = {
        Path(item["filepath"]).name: item["violations"] for item in json.loads(completed.stdout)
    }
    # every rule and the fragment were parsed (placeholders survive linting) and are clean
    assert {f"{name}.sql" for name in INVARIANTS_BY_NAME} | {"stage_times_in_order.sql"} == set(
        linted
    )
    assert not any(linted.values())


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_python_is_ruff_clean(command: list[str]) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    completed = subprocess.run(
        [
            str(ruff),
            *command,
            "lead_funnel",
            "lead_funnel_tools",
            "orchestration",
            "data_quality",
            "tests",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-1000:]
