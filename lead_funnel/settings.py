"""Where a run reads and writes, from the command line or the environment.

| variable | default |
|---|---|
| LEAD_FUNNEL_DATABASE | data/lead_funnel.duckdb (the warehouse file: raw schemas in, marts out) |
| LEAD_FUNNEL_SERVE_PATH | <warehouse stem>.serve.duckdb beside it (what BI tools open, read-only) |
| LEAD_FUNNEL_ARTIFACTS_DIR | <warehouse stem>_artifacts/ beside it (Data Docs, alerts, run summaries) |
| LEAD_FUNNEL_SALESFORCE_SCHEMA | raw_salesforce (`--salesforce-schema`: where the CRM tables landed) |
| LEAD_FUNNEL_MARKETO_SCHEMA | raw_marketo (`--marketo-schema`: where the MAP tables landed) |

Names that reach SQL are checked here, once, before anything runs: a schema name must be a
plain identifier (letters, digits, underscores; not starting with a digit; at most 63
characters), so it can be quoted safely wherever it is used.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lead_funnel.paths import DEFAULT_DATABASE

BUILD_SCHEMA = "marts_build"
PUBLISHED_SCHEMA = "marts"
META_SCHEMA = "lead_funnel_meta"

# The raw schemas (contract section 1) and the variables that name another one.
DEFAULT_RAW_SCHEMAS = {"salesforce": "raw_salesforce", "marketo": "raw_marketo"}
RAW_SCHEMA_ENV = {
    "salesforce": "LEAD_FUNNEL_SALESFORCE_SCHEMA",
    "marketo": "LEAD_FUNNEL_MARKETO_SCHEMA",
}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


class InvalidNameError(ValueError):
    """A name that would reach SQL is not a plain identifier."""


def checked_identifier(value: str, origin: str) -> str:
    """`value` if it is a plain SQL identifier, else an error naming it and where it came from."""
    if not _IDENTIFIER.fullmatch(value):
        raise InvalidNameError(
            f"{origin} {value!r} is not a usable schema name: use letters, digits and "
            "underscores, starting with a letter or an underscore (at most 63 characters), "
            "e.g. raw_salesforce; nothing was run"
        )
    return value


def raw_schema(source: str, explicit: str | None = None) -> str:
    """The schema a run reads `source` from: the flag, else the variable, else the default;
    checked as an identifier."""
    if explicit:
        flag = f"--{source}-schema"
        return checked_identifier(explicit, flag)
    from_environment = os.environ.get(RAW_SCHEMA_ENV[source])
    if from_environment:
        return checked_identifier(from_environment, RAW_SCHEMA_ENV[source])
    return DEFAULT_RAW_SCHEMAS[source]


def default_serve_path(database: Path) -> Path:
    return database.with_name(f"{database.stem}.serve.duckdb")


def default_artifacts_dir(database: Path) -> Path:
    return database.with_name(f"{database.stem}_artifacts")


@dataclass(frozen=True)
class PipelineSettings:
    database: Path
    serve_path: Path
    artifacts_dir: Path
    raw_schemas: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_RAW_SCHEMAS))

    @classmethod
    def resolve(
        cls,
        database: str | Path | None = None,
        serve_path: str | Path | None = None,
        artifacts_dir: str | Path | None = None,
        *,
        salesforce_schema: str | None = None,
        marketo_schema: str | None = None,
    ) -> PipelineSettings:
        """Explicit arguments win, then the environment, then the defaults. Raises
        InvalidNameError for a schema name that is not a plain identifier."""
        schemas = {
            "salesforce": raw_schema("salesforce", salesforce_schema),
            "marketo": raw_schema("marketo", marketo_schema),
        }
        db = Path(database or os.environ.get("LEAD_FUNNEL_DATABASE") or DEFAULT_DATABASE).resolve()
        serve = serve_path or os.environ.get("LEAD_FUNNEL_SERVE_PATH") or default_serve_path(db)
        artifacts = (
            artifacts_dir
            or os.environ.get("LEAD_FUNNEL_ARTIFACTS_DIR")
            or default_artifacts_dir(db)
        )
        return cls(db, Path(serve).resolve(), Path(artifacts).resolve(), schemas)

    def environment(self) -> dict[str, str]:
        """These settings as the variables `resolve` reads: the environment a process is
        started with (`lead-funnel ui` starts `dagster dev` so)."""
        return {
            "LEAD_FUNNEL_DATABASE": str(self.database),
            "LEAD_FUNNEL_SERVE_PATH": str(self.serve_path),
            "LEAD_FUNNEL_ARTIFACTS_DIR": str(self.artifacts_dir),
            **{RAW_SCHEMA_ENV[source]: schema for source, schema in self.raw_schemas.items()},
        }

    @property
    def data_docs_dir(self) -> Path:
        return self.artifacts_dir / "data_docs"

    @property
    def alerts_dir(self) -> Path:
        return self.artifacts_dir / "alerts"

    @property
    def runs_dir(self) -> Path:
        return self.artifacts_dir / "runs"

    @property
    def report_path(self) -> Path:
        """The funnel report every successful run writes (self-contained HTML)."""
        return self.artifacts_dir / "report" / "index.html"

    @property
    def dagster_home(self) -> Path:
        """The Dagster instance the CLI's runs and `lead-funnel ui` share (run history)."""
        return self.artifacts_dir / "dagster_home"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's artifacts and partial-parse state for this warehouse, kept between runs."""
        return self.artifacts_dir / "dbt_target"
