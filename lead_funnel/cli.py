"""`lead-funnel`: generate demo data, run the nightly job, check and summarise the marts.

Heavy imports (dagster, GX, dbt) happen inside the commands that need them, so
`lead-funnel --help` and `generate` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path

from lead_funnel.paths import DEFAULT_DATABASE, REPO_ROOT
from lead_funnel.telemetry import disable_telemetry


def _as_of(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not a timestamp (YYYY-MM-DD HH:MM:SS, UTC): {text!r}"
        ) from error
    if value.tzinfo is not None:
        from datetime import UTC

        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _database_argument(parser: argparse.ArgumentParser, *, must_exist: bool = True) -> None:
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("LEAD_FUNNEL_DATABASE", DEFAULT_DATABASE)),
        help="the DuckDB warehouse file (env LEAD_FUNNEL_DATABASE; default data/lead_funnel.duckdb)",
    )


def cmd_generate(args: argparse.Namespace) -> int:
    from lead_funnel.generator import append_days, generate

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
        )
    print(report.describe() if hasattr(report, "describe") else report)
    return 0


def _print_outcome(outcome) -> None:  # type: ignore[no-untyped-def]
    from lead_funnel.summary import render

    settings = outcome.settings
    print()
    if outcome.marts is not None:
        print(render(outcome.marts))
    passed = [c for c in outcome.checks if c.passed]
    print(
        f"\nchecks: {len(passed)} passed, {len(outcome.failed_blocking_checks)} blocking failed, "
        f"{len(outcome.warnings)} warnings"
    )
    for check in outcome.warnings:
        print(f"  warning  {check.asset} {check.name}: {check.description}")
    for check in outcome.failed_blocking_checks:
        print(f"  FAILED   {check.asset} {check.name}: {check.description}")
        if check.failed_rows and settings is not None:
            print(f"           failing rows kept in {check.failed_rows} of {settings.database}")
    print(f"\nrun {outcome.run_id} as of {outcome.as_of} took {outcome.seconds:.1f}s")
    if settings is not None and settings.serve_path.exists():
        print(f"  published (BI reads this, read-only): {settings.serve_path}")
        print(f"  data docs: {settings.data_docs_dir / 'index.html'}")
        print(f"  SLA alerts: {settings.alerts_dir}")
        print(
            f"\nNext: duckdb -readonly {settings.serve_path} (schema marts), `make ui` for the asset "
            "graph and schedule, `lead-funnel check` after editing a model; README: Reading the marts."
        )


def cmd_run(args: argparse.Namespace) -> int:
    from lead_funnel.pipeline import run_pipeline
    from lead_funnel.settings import InvalidNameError, PipelineSettings

    try:
        settings = PipelineSettings.resolve(
            args.database,
            args.serve,
            args.artifacts,
            salesforce_schema=args.salesforce_schema,
            marketo_schema=args.marketo_schema,
        )
    except InvalidNameError as error:
        print(f"lead-funnel run: {error}", file=sys.stderr)
        return 2
    settings.export_raw_schemas()
    try:
        outcome = run_pipeline(
            settings, as_of=args.as_of, full_refresh=args.full_refresh, progress=not args.quiet
        )
    except (FileNotFoundError, RuntimeError) as error:
        print(f"lead-funnel run: {error}", file=sys.stderr)
        return 2
    _print_outcome(outcome)
    if not outcome.success:
        print("\nlead-funnel run FAILED; the previous publication is kept.", file=sys.stderr)
        for failure in outcome.failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from lead_funnel.check import check_published_marts

    return check_published_marts(args.database, data_docs_dir=args.data_docs)


def cmd_summary(args: argparse.Namespace) -> int:
    from lead_funnel.settings import PipelineSettings
    from lead_funnel.summary import render, summarise_published

    settings = PipelineSettings.resolve(args.database, args.serve)
    path = settings.serve_path if settings.serve_path.exists() else settings.database
    if not path.exists():
        print(
            f"lead-funnel summary: {path} does not exist; run `lead-funnel run` first",
            file=sys.stderr,
        )
        return 2
    print(render(summarise_published(path)))
    print(
        f"\nNext: open the marts read-only (duckdb {settings.serve_path} -readonly), "
        "or `make ui` for the asset graph; see README."
    )
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from lead_funnel.settings import PipelineSettings

    settings = PipelineSettings.resolve(args.database)
    settings.export()
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home"))
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    venv_bin = Path(sys.executable).parent
    os.environ["PATH"] = (
        f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"  # dbt for dagster-dbt
    )
    dagster = venv_bin / "dagster"
    command = [
        str(dagster),
        "dev",
        "-m",
        "orchestration.definitions",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
    ]
    os.chdir(REPO_ROOT)
    os.execv(command[0], command)
    return 0  # not reached


def cmd_import_olist(args: argparse.Namespace) -> int:
    from lead_funnel.importers.olist import import_olist

    counts = import_olist(args.source_dir, args.database)
    print(
        f"landed the Olist funnel in {args.database}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )
    print(f"next: lead-funnel run --database {args.database} --as-of '2019-01-01 00:00:00'")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from lead_funnel.bench import main as bench_main

    return bench_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lead-funnel", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate", help="write a realistic synthetic raw CRM + MAP data set"
    )
    _database_argument(generate)
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
    generate.add_argument("--quiet", action="store_true")
    generate.set_defaults(func=cmd_generate)

    run = commands.add_parser(
        "run", help="the nightly job: dbt build, SLA breaches, checks, publication"
    )
    _database_argument(run)
    run.add_argument(
        "--as-of", type=_as_of, default=None, help="'YYYY-MM-DD HH:MM:SS' UTC (default now)"
    )
    run.add_argument(
        "--serve",
        type=Path,
        default=None,
        help="published file for BI (default beside the warehouse)",
    )
    run.add_argument(
        "--artifacts",
        type=Path,
        default=None,
        help="Data Docs, alerts, run logs (default beside it)",
    )
    run.add_argument(
        "--full-refresh", action="store_true", help="rebuild incremental models from raw"
    )
    run.add_argument(
        "--salesforce-schema",
        default=None,
        help="schema of the CRM tables (default raw_salesforce)",
    )
    run.add_argument(
        "--marketo-schema", default=None, help="schema of the MAP tables (default raw_marketo)"
    )
    run.add_argument("--quiet", action="store_true")
    run.set_defaults(func=cmd_run)

    check = commands.add_parser(
        "check", help="run the stage-definition invariants on the marts as they stand"
    )
    _database_argument(check)
    check.add_argument("--data-docs", type=Path, default=None, help="where to write GX Data Docs")
    check.set_defaults(func=cmd_check)

    summary = commands.add_parser(
        "summary", help="print a short funnel summary of the published marts"
    )
    _database_argument(summary)
    summary.add_argument("--serve", type=Path, default=None)
    summary.set_defaults(func=cmd_summary)

    ui = commands.add_parser("ui", help="start the Dagster UI (dagster dev) on 127.0.0.1")
    _database_argument(ui)
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    olist = commands.add_parser(
        "import-olist",
        help="land the real Olist marketing funnel (CSV) as a Salesforce-only export",
    )
    _database_argument(olist)
    olist.add_argument(
        "--source-dir", type=Path, default=REPO_ROOT.parent / "shared" / "reference-data" / "olist"
    )
    olist.set_defaults(func=cmd_import_olist)

    bench = commands.add_parser("bench", help="measure generation and runs at 10k..1M leads")
    bench.add_argument("--sizes", default="10000,100000,1000000")
    bench.add_argument("--workdir", type=Path, default=REPO_ROOT / "bench-runs")
    bench.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks")
    bench.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    disable_telemetry()
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
