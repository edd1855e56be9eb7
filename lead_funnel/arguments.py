"""Command-line arguments shared by the product's commands and the commands tools add."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from lead_funnel.paths import DEFAULT_DATABASE


def database_argument(parser: argparse.ArgumentParser) -> None:
    """`--database PATH`: the warehouse file, from the flag, the environment or the default."""
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("LEAD_FUNNEL_DATABASE", DEFAULT_DATABASE)),
        help="the DuckDB warehouse file (env LEAD_FUNNEL_DATABASE; default data/lead_funnel.duckdb)",
    )
