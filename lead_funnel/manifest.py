"""The dbt manifest Dagster builds its assets from, re-parsed only when the project changed.

`dagster dev` re-parses on load (DbtProject.prepare_if_dev); the CLI and the tests
call `ensure_manifest()`, which runs `dbt parse` only when a project file is newer
than the stored manifest (dbt start-up is part of every run's cost).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from lead_funnel.dbt_cli import run_dbt
from lead_funnel.paths import DBT_PROJECT_DIR, SEEDS_DIR

MANIFEST_TARGET = DBT_PROJECT_DIR / "target" / "dagster"
MANIFEST_PATH = MANIFEST_TARGET / "manifest.json"
_WATCHED = ("models", "macros", "tests", "analyses")


def newest_project_file_mtime() -> float:
    paths = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in _WATCHED:
        paths += [p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    paths += [p for p in SEEDS_DIR.iterdir() if p.is_file()]
    return max(p.stat().st_mtime for p in paths if p.exists())


def manifest_is_current() -> bool:
    return MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= newest_project_file_mtime()


def ensure_manifest() -> Path:
    """Parse the project into target/dagster unless the stored manifest is current."""
    if not manifest_is_current():
        # Parsing never opens the warehouse; any path will do.
        scratch = Path(tempfile.gettempdir()) / "lead_funnel_parse.duckdb"
        run_dbt(["parse", "--quiet"], database=scratch, target_path=MANIFEST_TARGET)
        MANIFEST_PATH.touch()
    return MANIFEST_PATH
