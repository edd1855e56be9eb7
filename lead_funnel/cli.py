"""`lead-funnel`: generate demo data, run the nightly job, check and summarise the marts.

Heavy imports (dagster, GX, dbt) happen inside the commands that need them, so
`lead-funnel --help` and `generate` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lead_funnel.arguments import as_of_argument, database_argument
from lead_funnel.paths import DEFAULT_DATABASE, REPO_ROOT
from lead_funnel.telemetry import disable_telemetry


def _print_success(outcome) -> None:  # type: ignore[no-untyped-def]
    from lead_funnel.summary import audit_lines, render

    settings = outcome.settings
    print()
    if outcome.marts is not None:
        print(render(outcome.marts))
    if settings is not None and settings.database.exists():  # a Spark run has no file
        lines = audit_lines(settings.database, outcome.run_id)
        if lines:
            print("\n" + "\n".join(lines))
    passed = [c for c in outcome.checks if c.passed]
    print(
        f"\nchecks: {len(passed)} passed, {len(outcome.failed_blocking_checks)} blocking failed, "
        f"{len(outcome.warnings)} warnings"
    )
    for check in outcome.warnings:
        if check.name.startswith("gate_"):
            continue  # listed with the audit above
        first, *rest = check.description.splitlines() or [""]
        print(f"  warning  {check.asset} {check.name}: {first}")
        for line in rest:
            print(f"           {line}")
    print(f"\nrun {outcome.run_id} as of {outcome.as_of} took {outcome.seconds:.1f}s")
    if settings is not None and settings.serve_path.exists():
        print(f"  published (BI reads this, read-only): {settings.serve_path}")
        if outcome.success:
            report = settings.report_path
            fresh = (
                report.exists() and report.stat().st_mtime >= settings.serve_path.stat().st_mtime
            )
            print(
                f"  funnel report (open in a browser): {report}"
                if fresh
                else "  funnel report: NOT written by this run (its error is in the run's log); "
                f"`lead-funnel report --database {settings.database}` retries"
            )
        print(
            f"  data docs (GX; loads its styles from a CDN): {settings.data_docs_dir / 'index.html'}"
        )
        print(f"  SLA alerts: {settings.alerts_dir}")
        print(
            f'\nNext: lead-funnel sql --database {settings.database} "select ..." (schema marts, '
            "read-only), `make ui` for the asset graph, this run and the schedule, `lead-funnel "
            "check` after editing a model; README: Reading the marts."
        )


def _kept_sentence(settings) -> str:  # type: ignore[no-untyped-def]
    if settings is not None and settings.serve_path.exists():
        return f"nothing was published; the previous publication ({settings.serve_path}) is kept."
    return "nothing was published."


def _failure_causes(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    from lead_funnel.failures import explain_text, step_causes

    database = outcome.settings.database
    causes = []
    step_failures = step_causes(outcome.failures)
    step_text = "\n".join(step_failures)
    for check in outcome.failed_blocking_checks:
        if check.name in step_text:  # a dbt test the failed dbt step names already
            continue
        if check.name.startswith("gate_"):
            causes += check.description.splitlines()
        else:
            cause = f"blocking check {check.name} ({check.asset}) failed: {check.description}"
            if check.failed_rows:
                cause += f"\nfailing rows kept in {check.failed_rows} of {database}"
            causes.append(cause)
    causes += [explain_text(failure, database) for failure in step_failures]
    return causes


def cmd_run(args: argparse.Namespace) -> int:
    from lead_funnel.failures import explain_exception, failure_block, is_explained
    from lead_funnel.gate import RULE_ORDER, parse_accepted
    from lead_funnel.run_parameters import RunParameters, now_utc
    from lead_funnel.settings import InvalidNameError, PipelineSettings
    from lead_funnel.spark_engine import SparkEngineError, pipeline_settings, require_warehouse_dir

    try:
        if args.engine == "spark":
            warehouse_dir = require_warehouse_dir(args.warehouse_dir)
            settings = pipeline_settings(
                warehouse_dir,
                salesforce_schema=args.salesforce_schema,
                marketo_schema=args.marketo_schema,
            )
        else:
            warehouse_dir = None
            settings = PipelineSettings.resolve(
                args.database,
                args.serve,
                args.artifacts,
                salesforce_schema=args.salesforce_schema,
                marketo_schema=args.marketo_schema,
            )
    except (InvalidNameError, SparkEngineError) as error:
        print(f"lead-funnel run: {error}", file=sys.stderr)
        return 2
    accept = parse_accepted(args.accept)
    unknown = sorted(name for name in accept if name.split(":")[0] not in RULE_ORDER)
    if unknown:
        print(
            f"lead-funnel run: --accept {', '.join(unknown)}: not a gate rule "
            f"(the rules: {', '.join(RULE_ORDER)}; RULE:SUBJECT for one subject)",
            file=sys.stderr,
        )
        return 2
    parameters = RunParameters(
        settings,
        as_of=args.as_of or now_utc(),
        full_refresh=args.full_refresh,
        accept=frozenset(accept),
        engine=args.engine,
        warehouse_dir=warehouse_dir,
    )
    try:
        from orchestration.pipeline import run_pipeline

        outcome = run_pipeline(parameters, progress=not args.quiet, verbose=args.verbose)
    except Exception as error:  # every failure ends in one FAILED block
        if args.verbose:
            import traceback

            traceback.print_exc()
        print(
            "\n"
            + failure_block(
                "run",
                [explain_exception(error, settings.database)],
                _kept_sentence(settings),
                None if args.verbose or is_explained(error) else "(--verbose shows the traceback)",
            ),
            file=sys.stderr,
        )
        return 2
    if not outcome.success:
        log = settings.runs_dir / f"{outcome.as_of:%Y%m%dT%H%M%S}-{outcome.run_id[:8]}.json"
        print(
            "\n"
            + failure_block(
                "run",
                _failure_causes(outcome),
                _kept_sentence(settings),
                f"run {outcome.run_id} details: {log}",
            ),
            file=sys.stderr,
        )
        return 1
    _print_success(outcome)
    if warehouse_dir is not None:
        print(
            f"  published: the Spark database marts in {warehouse_dir} (views over the publication "
            "lead_funnel_meta.current_publication names); `lead-funnel check --engine spark "
            f"--warehouse-dir {warehouse_dir}` re-runs the invariants"
        )
    if args.export_parquet:
        from lead_funnel.parquet_export import export_parquet

        counts = export_parquet(settings.serve_path, args.export_parquet)
        print(f"  Parquet: {len(counts)} marts in {args.export_parquet}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from lead_funnel.doctor import diagnose, render
    from lead_funnel.settings import InvalidNameError, PipelineSettings

    try:
        settings = PipelineSettings.resolve(
            args.database,
            salesforce_schema=args.salesforce_schema,
            marketo_schema=args.marketo_schema,
        )
    except InvalidNameError as error:
        print(f"lead-funnel doctor: {error}", file=sys.stderr)
        return 2
    output = args.output or settings.artifacts_dir / "doctor"
    try:
        report = diagnose(settings.database, output, raw_schemas=settings.raw_schemas)
    except Exception as error:
        from lead_funnel.failures import explain_exception

        print(
            f"lead-funnel doctor FAILED: {explain_exception(error, settings.database)}",
            file=sys.stderr,
        )
        return 2
    print(render(report))
    return 1 if report.problems else 0


def cmd_check(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        from data_quality.check import check_published_spark_marts

        return check_published_spark_marts(args.warehouse_dir, data_docs_dir=args.data_docs)
    from data_quality.check import check_published_marts

    return check_published_marts(args.database, data_docs_dir=args.data_docs)


def _engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="duckdb (the --database file, default) or spark (the --warehouse-dir catalog)",
    )
    parser.add_argument(
        "--warehouse-dir",
        type=Path,
        default=None,
        help="--engine spark: the directory of the Spark tables and their catalog",
    )


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
    if settings.database.exists():
        from lead_funnel.summary import audit_lines

        print("\n" + "\n".join(audit_lines(settings.database)))
    print(
        f'\nNext: lead-funnel sql --database {settings.database} "select ..." (read-only), '
        f"lead-funnel report --database {settings.database}, or `make ui`; see README."
    )
    return 0


def _serve_file(args: argparse.Namespace) -> Path | None:
    from lead_funnel.settings import PipelineSettings

    settings = PipelineSettings.resolve(args.database, args.serve)
    if not settings.serve_path.exists():
        print(
            f"lead-funnel {args.command}: {settings.serve_path} does not exist; "
            f"run `lead-funnel run --database {settings.database}` first",
            file=sys.stderr,
        )
        return None
    return settings.serve_path


def cmd_report(args: argparse.Namespace) -> int:
    from lead_funnel.report import render_report
    from lead_funnel.settings import PipelineSettings

    serve = _serve_file(args)
    if serve is None:
        return 2
    out = args.out or PipelineSettings.resolve(args.database, args.serve).report_path
    try:
        result = render_report(serve, out)
    except ValueError as error:
        print(f"lead-funnel report: {error}", file=sys.stderr)
        return 2
    print(
        f"funnel report: {result.path} ({result.bytes / 1e6:.1f} MB, "
        f"{len(result.sections)} sections: {', '.join(result.sections)})"
    )
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    serve = _serve_file(args)
    if serve is None:
        return 2
    with duckdb.connect(str(serve), read_only=True) as con:
        try:
            relation = con.sql(args.query)
        except duckdb.Error as error:
            print(f"lead-funnel sql: {error}", file=sys.stderr)
            return 1
        if relation is None:  # a statement without a result
            return 0
        if args.csv:
            relation.df().to_csv(sys.stdout, index=False)
        else:
            relation.show(max_rows=args.max_rows, max_width=args.max_width)
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from lead_funnel.settings import PipelineSettings
    from orchestration.pipeline import dagster_home

    settings = PipelineSettings.resolve(args.database)
    home = dagster_home(settings) or settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    print(f"Dagster instance (runs of `lead-funnel run` on this warehouse): {home}", flush=True)
    venv_bin = Path(sys.executable).parent
    # `dagster dev` builds its resources from this environment (orchestration.resources)
    environment = {
        **os.environ,
        **settings.environment(),
        "DAGSTER_HOME": str(home),
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",  # dbt for dagster-dbt
    }
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
    os.execve(command[0], command, environment)
    return 0  # not reached


TOOL_COMMANDS_GROUP = "lead_funnel.commands"


def cmd_copy_raw(args: argparse.Namespace) -> int:
    from lead_funnel.spark_engine import SparkEngineError, copy_raw, require_warehouse_dir

    try:
        warehouse_dir = require_warehouse_dir(args.warehouse_dir)
        copied = copy_raw(args.database, warehouse_dir)
    except SparkEngineError as error:
        print(f"lead-funnel copy-raw FAILED: {error}", file=sys.stderr)
        return 2
    rows = sum(table.rows for table in copied)
    print(
        f"copied {len(copied)} raw tables ({rows:,} rows) into the Spark warehouse {warehouse_dir}"
    )
    return 0


def _add_tool_commands(commands: argparse._SubParsersAction) -> None:
    """The commands installed tools add (lead_funnel_tools: generate, import-olist, bench):
    each entry point of the group is a `register(commands)`; the product imports no tool."""
    from importlib.metadata import entry_points

    for entry_point in entry_points(group=TOOL_COMMANDS_GROUP):
        entry_point.load()(commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lead-funnel", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    _add_tool_commands(commands)  # first: `generate` is where a new user starts

    run = commands.add_parser(
        "run", help="the nightly job: dbt build, SLA breaches, checks, publication"
    )
    database_argument(run)
    run.add_argument(
        "--as-of", type=as_of_argument, default=None, help="'YYYY-MM-DD HH:MM:SS' UTC (default now)"
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
    run.add_argument(
        "--export-parquet",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write the published marts as DIR/<mart>.parquet (each replaced atomically)",
    )
    run.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="RULE",
        help="publish although the data gate's RULE fails (e.g. unmapped_share, mart_shrink; "
        "RULE:SUBJECT for one subject); recorded in lead_funnel_meta.gate_acceptances",
    )
    run.add_argument("--quiet", action="store_true")
    run.add_argument("--verbose", action="store_true", help="Dagster's log and tracebacks")
    _engine_arguments(run)
    run.set_defaults(func=cmd_run)

    doctor = commands.add_parser(
        "doctor",
        help="before the first run: raw tables, columns, types and picklist mappings (builds nothing)",
    )
    database_argument(doctor)
    doctor.add_argument("--salesforce-schema", default=None)
    doctor.add_argument("--marketo-schema", default=None)
    doctor.add_argument(
        "--output",
        type=Path,
        default=None,
        help="folder for the suggested seed rows (default <warehouse>_artifacts/doctor)",
    )
    doctor.set_defaults(func=cmd_doctor)

    check = commands.add_parser(
        "check", help="run the stage-definition invariants on the marts as they stand"
    )
    database_argument(check)
    check.add_argument("--data-docs", type=Path, default=None, help="where to write GX Data Docs")
    _engine_arguments(check)
    check.set_defaults(func=cmd_check)

    summary = commands.add_parser(
        "summary", help="print a short funnel summary of the published marts"
    )
    database_argument(summary)
    summary.add_argument("--serve", type=Path, default=None)
    summary.set_defaults(func=cmd_summary)

    report_parser = commands.add_parser(
        "report", help="render the funnel report (HTML) from the published marts"
    )
    database_argument(report_parser)
    report_parser.add_argument("--serve", type=Path, default=None, help="the serve file to read")
    report_parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write it (default <warehouse>_artifacts/report/index.html)",
    )
    report_parser.set_defaults(func=cmd_report)

    sql = commands.add_parser(
        "sql", help="query the published marts read-only (the serve file), e.g. sql 'select ...'"
    )
    database_argument(sql)
    sql.add_argument("query", help="SQL; the marts are in schema marts, data health in audit")
    sql.add_argument("--serve", type=Path, default=None, help="the serve file to read")
    sql.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    sql.add_argument("--max-rows", type=int, default=40)
    sql.add_argument("--max-width", type=int, default=160)
    sql.set_defaults(func=cmd_sql)

    ui = commands.add_parser("ui", help="start the Dagster UI (dagster dev) on 127.0.0.1")
    database_argument(ui)
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    copy = commands.add_parser(
        "copy-raw", help="land a DuckDB file's raw schemas as Spark tables (--engine spark)"
    )
    database_argument(copy)
    copy.add_argument("--engine", choices=["spark"], required=True)
    copy.add_argument(
        "--warehouse-dir", type=Path, default=None, help="the Spark warehouse and catalog directory"
    )
    copy.set_defaults(func=cmd_copy_raw)

    return parser


def main(argv: list[str] | None = None) -> int:
    disable_telemetry()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(f"\nlead-funnel {args.command}: interrupted; nothing was published.", file=sys.stderr)
        return 130
    except Exception as error:  # no command ends in a bare traceback
        from lead_funnel.failures import explain_exception, failure_block

        if getattr(args, "verbose", False):
            import traceback

            traceback.print_exc()
        database = Path(getattr(args, "database", None) or DEFAULT_DATABASE)
        print(
            failure_block(
                args.command,
                [explain_exception(error, database)],
                "",
                "(lead-funnel run --verbose shows tracebacks)",
            ),
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
