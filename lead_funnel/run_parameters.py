"""What one run is about, typed once: built where a run starts and handed to every step.

The CLI builds `RunParameters` from its flags (`lead-funnel run`), Dagster's resource
`orchestration.resources.RunParametersResource` from its config and the run's tags (the
schedule's tick, a launch from the UI); every asset reads the same object, and dbt gets it
as environment variables from `lead_funnel.dbt_cli.dbt_environment` alone. `parse_as_of`
is the one place an as-of is normalised (text or datetime, aware or naive, to naive UTC in
whole seconds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from lead_funnel.settings import PipelineSettings

AS_OF_FORMAT = "%Y-%m-%d %H:%M:%S"
# The engine the models run on: DuckDB (the warehouse file) or Spark (its catalog and tables
# under `warehouse_dir`, lead_funnel.spark_engine).
Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(Engine)


def parse_as_of(value: str | datetime) -> datetime:
    """An as-of as naive UTC in whole seconds: 'YYYY-MM-DD HH:MM:SS' (UTC), an ISO timestamp
    with an offset, or a datetime (pandas Timestamps too; naive means UTC)."""
    if isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value.strip().replace("T", " "))
        except ValueError as error:
            raise ValueError(f"not a timestamp (YYYY-MM-DD HH:MM:SS, UTC): {value!r}") from error
    elif isinstance(value, datetime) and value == value:  # NaT is a datetime unequal to itself
        stamp = value
    else:
        raise ValueError(f"the as-of must be a timestamp, not {value!r}")
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return datetime(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def format_as_of(value: datetime) -> str:
    return parse_as_of(value).strftime(AS_OF_FORMAT)


def now_utc() -> datetime:
    return parse_as_of(datetime.now(UTC))


@dataclass(frozen=True)
class RunParameters:
    """One run: where (`settings`: warehouse file, serve file, artifacts, raw schemas), as of
    when, how (full refresh, accepted gate rules) and on which engine."""

    settings: PipelineSettings
    as_of: datetime
    full_refresh: bool = False
    accept: frozenset[str] = field(default_factory=frozenset)
    engine: Engine = "duckdb"
    warehouse_dir: Path | None = None  # the Spark engine's catalog and tables; unused by duckdb

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", parse_as_of(self.as_of))
        object.__setattr__(self, "accept", frozenset(self.accept))
        if self.engine not in ENGINES:
            raise ValueError(f"engine {self.engine!r} is not one of {', '.join(ENGINES)}")
        if self.engine == "spark":
            from lead_funnel.spark_engine import require_warehouse_dir

            object.__setattr__(self, "warehouse_dir", require_warehouse_dir(self.warehouse_dir))
        elif self.warehouse_dir is not None:
            raise ValueError("--warehouse-dir is for --engine spark only")

    @property
    def on_spark(self) -> bool:
        return self.engine == "spark"

    @property
    def database(self) -> Path:
        return self.settings.database

    @property
    def raw_schemas(self) -> Mapping[str, str]:
        return self.settings.raw_schemas

    def dbt_environment(self, *, marts_schema: str) -> dict[str, str]:
        """What dbt reads for this run: the warehouse, the as-of, the raw and marts schemas."""
        from lead_funnel.dbt_cli import dbt_environment

        environment = dbt_environment(
            self.database,
            as_of=self.as_of,
            marts_schema=marts_schema,
            raw_schemas=self.raw_schemas,
        )
        if self.warehouse_dir is not None:
            from lead_funnel.spark_engine import spark_environment

            environment = spark_environment(self.warehouse_dir, environment)
        return environment
