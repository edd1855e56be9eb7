"""`lead-funnel run`: the nightly Dagster job, executed in this process.

The CLI, the schedule and the UI run the same job (orchestration.definitions);
this module only chooses the as-of, runs it, and turns the outcome into a summary
and an exit code.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lead_funnel.manifest import ensure_manifest
from lead_funnel.progress import PROGRESS_ENV, Heartbeat, report
from lead_funnel.run_parameters import RunParameters
from lead_funnel.settings import PipelineSettings
from lead_funnel.summary import MartsSummary, summarise_published
from lead_funnel.telemetry import disable_telemetry


@dataclass
class CheckOutcome:
    name: str
    asset: str
    passed: bool
    severity: str
    description: str = ""
    failed_rows: str | None = None


@dataclass
class RunOutcome:
    run_id: str
    as_of: datetime
    success: bool
    seconds: float
    failures: list[str] = field(default_factory=list)
    checks: list[CheckOutcome] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    marts: MartsSummary | None = None
    settings: PipelineSettings | None = None

    @property
    def failed_blocking_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "ERROR"]

    @property
    def warnings(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed and c.severity == "WARN"]

    def to_json(self) -> str:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat(sep=" ")
        data["settings"] = (
            {k: str(v) for k, v in asdict(self.settings).items()} if self.settings else None
        )
        return json.dumps(data, indent=2, default=str)


EPHEMERAL_INSTANCE_ENV = "LEAD_FUNNEL_DAGSTER_INSTANCE"
# LEAD_FUNNEL_DAGSTER_POOLED=0: Dagster's own connection per event (to compare)
POOLED_EVENT_LOG_ENV = "LEAD_FUNNEL_DAGSTER_POOLED"


def dagster_home(settings: PipelineSettings) -> Path | None:
    """The persistent Dagster instance this run records into, shared with `lead-funnel ui`:
    $DAGSTER_HOME, else the warehouse's `<artifacts>/dagster_home`. None when
    LEAD_FUNNEL_DAGSTER_INSTANCE=ephemeral (the tests: a throwaway instance per run)."""
    if os.environ.get(EPHEMERAL_INSTANCE_ENV) == "ephemeral" and not os.environ.get("DAGSTER_HOME"):
        return None
    home = Path(os.environ.get("DAGSTER_HOME") or settings.dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    dagster_yaml = home / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.write_text("telemetry:\n  enabled: false\n")
    return home


_UNSYNCED_HOMES: set[str] = set()


def _unsynced_pragma(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    files = [str(row[2]) for row in dbapi_connection.execute("pragma database_list").fetchall()]
    if any(name.startswith(home) for name in files for home in _UNSYNCED_HOMES):
        dbapi_connection.execute("pragma synchronous=OFF")


def _unsynced_sqlite_under(home: Path) -> None:
    """Dagster's SQLite run history under `home` commits without fsync (PRAGMA synchronous=OFF).

    A nightly run writes a couple of thousand events (planned and built assets, dbt tests
    as asset checks), each its own commit; fsyncing each one tripled the job's overhead on
    a busy disk. Without fsync the history is still safe if a process dies; only an OS crash
    or a power cut could damage it (the warehouse and the serve file are not affected)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _UNSYNCED_HOMES.add(str(home.resolve()))
    if not event.contains(Engine, "connect", _unsynced_pragma):
        event.listen(Engine, "connect", _unsynced_pragma)


def _pooled_event_log_connections(instance: Any) -> None:
    """One SQLite engine per event-log shard, kept for the run, instead of one per event.

    Dagster's SqliteEventLogStorage creates an engine and opens the shard's file for every
    statement it runs (NullPool), several per event. Measured on 1,809 events under load
    13-16: 105-150 s that way, 26-58 s with one engine per shard, 39-56 s on an ephemeral
    instance. Each event is still its own committed transaction, so `lead-funnel ui`
    (another process reading the WAL files) sees the run as it goes."""
    from contextlib import contextmanager

    from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
        SQLITE_BUSY_TIMEOUT_SECONDS,
        SqliteEventLogStorage,
    )
    from sqlalchemy import create_engine

    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:  # another configured storage: as it is
        return
    engines: dict[str, Any] = {}

    @contextmanager
    def connect(shard: str) -> Any:
        with storage._db_lock:
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(
                    storage.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                engines[shard] = engine
                if shard not in storage._initialized_dbs:
                    storage._initdb(engine)
                    storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    storage._connect = connect


def _instance(settings: PipelineSettings):
    from dagster import DagsterInstance

    home = dagster_home(settings)
    if home is None:
        return DagsterInstance.ephemeral()
    _unsynced_sqlite_under(home)
    instance = DagsterInstance.from_config(str(home))
    if os.environ.get(POOLED_EVENT_LOG_ENV, "1") != "0":
        _pooled_event_log_connections(instance)
    return instance


def _metadata_text(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _collect(result: Any, instance: Any) -> tuple[list[str], list[CheckOutcome], dict[str, float]]:
    failures: list[str] = []
    step_seconds: dict[str, float] = {}
    starts: dict[str, float] = {}
    for entry in instance.all_logs(result.run_id):
        event = entry.dagster_event
        if event is None:
            continue
        step = event.step_key or ""
        if event.event_type_value == "STEP_START":
            starts[step] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and step in starts:
            step_seconds[step] = round(entry.timestamp - starts[step], 2)
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            raised = event.step_failure_data.user_failure_data  # a dagster.Failure's own words
            if raised is not None and raised.description:
                message = raised.description.strip()
            else:
                message = error.message.strip() if error else "failed"
            cause = error.cause if error else None
            while cause is not None:
                message += "\n  caused by: " + cause.message.strip()
                cause = cause.cause
            failures.append(f"{step}: {message}")
    checks = [
        CheckOutcome(
            name=evaluation.check_name,
            asset=evaluation.asset_key.to_user_string(),
            passed=evaluation.passed,
            severity=evaluation.severity.value,
            description=str(evaluation.description or ""),
            failed_rows=_metadata_text(evaluation.metadata.get("failed_rows")),
        )
        for evaluation in result.get_asset_check_evaluations()
    ]
    return failures, checks, step_seconds


def preflight(settings: PipelineSettings) -> str | None:
    """Cheap checks before anything heavy loads; returns what recovery did, if anything."""
    from lead_funnel.publish import recover_interrupted_publication
    from lead_funnel.seed_check import require_sound_seeds
    from lead_funnel.warehouse import connect

    require_sound_seeds()
    with connect(settings.database):
        pass
    return recover_interrupted_publication(settings)


def run_pipeline(
    parameters: RunParameters, *, progress: bool = True, verbose: bool = False
) -> RunOutcome:
    """Run the nightly job in-process with `parameters` (the warehouse, the as-of, ...).

    Before Dagster loads: the seeds are checked against their yml tests, the warehouse is
    opened once (a lock or an unreadable file fails here, by name) and a publication a
    killed run left half done is completed.
    """
    disable_telemetry()
    settings = parameters.settings
    if progress:
        os.environ[PROGRESS_ENV] = "1"
    started = time.perf_counter()
    if parameters.on_spark:
        recovered = spark_preflight(parameters)
    else:
        if not settings.database.exists():
            raise FileNotFoundError(
                f"{settings.database} does not exist: run `lead-funnel generate --database {settings.database}` "
                "or point --database at a DuckDB file that holds raw_salesforce / raw_marketo"
            )
        recovered = preflight(settings)
    if recovered:
        report("setup", recovered)
    try:
        return _run_job(parameters, started, progress=progress, verbose=verbose)
    finally:
        if parameters.on_spark:
            from lead_funnel.spark_engine import stop_session

            stop_session()  # the Derby metastore is free again for the next process


def spark_preflight(parameters: RunParameters) -> str | None:
    """The Spark side of preflight: Java, the session (one per process, shared with dbt),
    the raw databases, and a publication a killed run left half done is rolled back."""
    from lead_funnel.seed_check import require_sound_seeds
    from lead_funnel.spark_engine import open_session, require_raw_databases
    from lead_funnel.spark_publish import recover_interrupted_publication

    require_sound_seeds()
    assert parameters.warehouse_dir is not None
    with Heartbeat("setup", f"starting Spark on {parameters.warehouse_dir}"):
        spark = open_session(parameters.warehouse_dir)
    recovered = recover_interrupted_publication(spark)
    require_raw_databases(spark, parameters.raw_schemas)
    return recovered


def _run_job(
    parameters: RunParameters, started: float, *, progress: bool, verbose: bool
) -> RunOutcome:
    settings, as_of = parameters.settings, parameters.as_of
    with Heartbeat("setup", "dbt manifest (parsing the project when it changed)"):
        ensure_manifest()
    with Heartbeat("setup", "loading the Dagster definitions"):
        from orchestration.definitions import defs
        from orchestration.resources import RunParametersResource
        from orchestration.run_context import run_tags

    job = defs.resolve_job_def("nightly_refresh")
    tags = run_tags(parameters)
    with Heartbeat("job", "running the nightly job"):
        instance = _instance(settings)
        result = job.execute_in_process(
            instance=instance,
            tags=tags,
            raise_on_error=False,
            run_config={
                # the CLI prints one FAILED block itself; Dagster's own lines only with --verbose
                "loggers": {
                    "console": {"config": {"log_level": "ERROR" if verbose else "CRITICAL"}}
                },
                # explicit per run: the definitions may have been loaded for another warehouse
                "resources": {
                    "run_parameters": {"config": RunParametersResource.config_for(parameters)}
                },
            },
        )
    failures, checks, step_seconds = _collect(result, instance)
    outcome = RunOutcome(
        run_id=result.run_id,
        as_of=as_of,
        success=result.success and not failures,
        seconds=round(time.perf_counter() - started, 2),
        failures=failures,
        checks=checks,
        step_seconds=step_seconds,
        settings=settings,
    )
    if settings.serve_path.exists():
        outcome.marts = summarise_published(settings.serve_path)
    settings.runs_dir.mkdir(parents=True, exist_ok=True)
    (settings.runs_dir / f"{as_of:%Y%m%dT%H%M%S}-{result.run_id[:8]}.json").write_text(
        outcome.to_json()
    )
    return outcome
