"""A generated data set built once per test session for the scoring tests.

The generator makes fit drive the funnel (a lead's acceptance and win probabilities move
with its seed fit points), so on its data the score at handoff must rank outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel_tools.generator import generate

AS_OF = datetime(2026, 1, 1, 0, 0, 0)
LEADS = 15_000
SEED = 11

# Everything the scoring marts and fct_lead_cycles need; tests whose parents are not all
# selected (other areas' marts) are left out by the cautious indirect selection.
BUILD_SELECTION = [
    "--select",
    "+path:models/marts/scoring",
    "+fct_lead_cycles",
    "+dim_leads",
    "--indirect-selection",
    "cautious",
]


@dataclass(frozen=True)
class Warehouse:
    """A built warehouse file and a read-only way to query it."""

    database: Path
    target_path: Path

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, params or []).df()

    def scalar(self, sql: str):
        with duckdb.connect(str(self.database), read_only=True) as con:
            row = con.execute(sql).fetchone()
        return None if row is None else row[0]


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    root = tmp_path_factory.mktemp("scoring")
    database = root / "warehouse.duckdb"
    target = root / "dbt-target"
    generate(database, leads=LEADS, seed=SEED, progress=False)
    run_dbt(
        ["build", "--exclude-resource-type", "unit_test", *BUILD_SELECTION],
        database=database,
        as_of=AS_OF,
        target_path=target,
    )
    yield Warehouse(database, target)
