"""The commands the tools add to `lead-funnel`: generate, import-olist, bench.

`register` is the entry point `lead_funnel.commands` names in pyproject.toml; the product's
CLI calls it with its sub-command parsers, so the product never imports the tools. The
commands import their tool only when they run (`lead-funnel --help` stays fast).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from lead_funnel.arguments import database_argument
from lead_funnel.paths import REPO_ROOT


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _engines(text: str) -> tuple[str, ...]:
    from lead_funnel_tools.bench_spark import parse_engines

    try:
        return parse_engines(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def cmd_generate(args: argparse.Namespace) -> int:
    from lead_funnel_tools.generator import append_days, generate
    from lead_funnel_tools.generator.api import ForeignRawSchemaError

    try:
        return _generate(args, append_days, generate)
    except ForeignRawSchemaError as error:
        print(f"lead-funnel generate FAILED: {error}", file=sys.stderr)
        return 2


def _generate(args: argparse.Namespace, append_days, generate) -> int:  # type: ignore[no-untyped-def]
    if args.append_days:
        report = append_days(
            args.database, days=args.append_days, seed=args.seed, progress=not args.quiet
        )
    else:
        report = generate(
            args.database,
            leads=args.leads,
            seed=args.seed if args.seed is not None else 42,
            start=args.start,
            days=args.days,
            bad_rate=args.bad_rate,
            progress=not args.quiet,
            force=args.force,
        )
    print(report.describe() if hasattr(report, "describe") else report)
    return 0


def cmd_import_olist(args: argparse.Namespace) -> int:
    from lead_funnel_tools.importers.olist import import_olist

    counts = import_olist(args.source_dir, args.database)
    print(
        f"landed the Olist funnel in {args.database}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    print(f"next: lead-funnel run --database {args.database} --as-of '2019-01-01 00:00:00'")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from lead_funnel_tools.bench import main as bench_main

    return bench_main(args)


def register(commands: argparse._SubParsersAction) -> None:
    """Add generate, import-olist and bench to the `lead-funnel` sub-commands."""
    generate = commands.add_parser(
        "generate", help="write a realistic synthetic raw CRM + MAP data set"
    )
    database_argument(generate)
    generate.add_argument("--leads", type=int, default=20_000)
    generate.add_argument("--seed", type=int, default=None, help="random seed (default 42)")
    generate.add_argument(
        "--start", type=_date, default=date(2025, 1, 1), help="first day (YYYY-MM-DD)"
    )
    generate.add_argument("--days", type=int, default=365, help="days of history")
    generate.add_argument(
        "--bad-rate", type=float, default=0.01, help="share of bad input rows (0..1)"
    )
    generate.add_argument(
        "--append-days", type=int, default=0, help="land N more days on an existing file"
    )
    generate.add_argument(
        "--force",
        action="store_true",
        help="replace raw schemas that lead-funnel generate did not write (real data is lost)",
    )
    generate.add_argument("--quiet", action="store_true")
    generate.set_defaults(func=cmd_generate)

    olist = commands.add_parser(
        "import-olist",
        help="land the real Olist marketing funnel (CSV) as a Salesforce-only export",
    )
    database_argument(olist)
    olist.add_argument(
        "--source-dir", type=Path, default=REPO_ROOT.parent / "shared" / "reference-data" / "olist"
    )
    olist.set_defaults(func=cmd_import_olist)

    bench = commands.add_parser("bench", help="measure generation and runs at 10k..1M leads")
    bench.add_argument("--sizes", default="10000,100000,1000000")
    bench.add_argument("--workdir", type=Path, default=REPO_ROOT / "bench-runs")
    bench.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks")
    bench.add_argument(
        "--baseline-tree", type=Path, help="another checkout (with .venv) to run side by side"
    )
    bench.add_argument("--repeats", type=int, default=1, help="full runs per tree and size")
    bench.add_argument("--skip-parse", action="store_true", help="skip the dbt parse timing")
    bench.add_argument(
        "--engines",
        type=_engines,
        default="duckdb",
        help="duckdb (default) or duckdb,spark: Spark's nights on the same data, compared",
    )
    bench.set_defaults(func=cmd_bench)
