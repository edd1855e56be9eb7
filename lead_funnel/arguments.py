"""Command-line arguments shared by the product's commands and the commands tools add."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from lead_funnel.paths import DEFAULT_DATABASE
from lead_funnel.run_parameters import parse_as_of


def database_argument(parser: argparse.ArgumentParser) -> None:
    """`--database PATH`: the warehouse file, from the flag, the environment or the default."""
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("LEAD_FUNNEL_DATABASE", DEFAULT_DATABASE)),
        help="the DuckDB warehouse file (env LEAD_FUNNEL_DATABASE; default data/lead_funnel.duckdb)",
    )


def as_of_argument(text: str) -> datetime:
    """`--as-of TEXT` as naive UTC (`parse_as_of`), or argparse's usage error."""
    try:
        return parse_as_of(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
