"""Where the project's files live, resolved from this package's location (editable install)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(os.environ.get("LEAD_FUNNEL_REPO_ROOT", Path(__file__).resolve().parents[1]))
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = REPO_ROOT / "seeds"
DEFAULT_DATABASE = REPO_ROOT / "data" / "lead_funnel.duckdb"
DOCS_DIR = REPO_ROOT / "docs"
