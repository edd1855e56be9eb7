"""Shared generated data sets (generated once per test session into temporary files)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from lead_funnel_tools.generator import generate

os.environ.setdefault("DO_NOT_TRACK", "1")
REALISM_LEADS = 20_000


@pytest.fixture(scope="session")
def realism_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20k-lead data set with the default parameters."""
    path = tmp_path_factory.mktemp("generator") / "realism.duckdb"
    generate(path, leads=REALISM_LEADS, seed=42, progress=False)
    return path


@pytest.fixture(scope="session")
def realism_con(realism_db: Path):
    con = duckdb.connect(str(realism_db), read_only=True)
    yield con
    con.close()
