"""Where a run reads and writes, from the command line or the environment.

| variable | default |
|---|---|
| LEAD_FUNNEL_DATABASE | data/lead_funnel.duckdb (the warehouse file: raw schemas in, marts out) |
| LEAD_FUNNEL_SERVE_PATH | <warehouse stem>.serve.duckdb beside it (what BI tools open, read-only) |
| LEAD_FUNNEL_ARTIFACTS_DIR | <warehouse stem>_artifacts/ beside it (Data Docs, alerts, run summaries) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lead_funnel.paths import DEFAULT_DATABASE

BUILD_SCHEMA = "marts_build"
PUBLISHED_SCHEMA = "marts"
META_SCHEMA = "lead_funnel_meta"


def default_serve_path(database: Path) -> Path:
    return database.with_name(f"{database.stem}.serve.duckdb")


def default_artifacts_dir(database: Path) -> Path:
    return database.with_name(f"{database.stem}_artifacts")


@dataclass(frozen=True)
class PipelineSettings:
    database: Path
    serve_path: Path
    artifacts_dir: Path

    @classmethod
    def resolve(
        cls,
        database: str | Path | None = None,
        serve_path: str | Path | None = None,
        artifacts_dir: str | Path | None = None,
    ) -> PipelineSettings:
        """Explicit arguments win, then the environment, then the defaults."""
        db = Path(database or os.environ.get("LEAD_FUNNEL_DATABASE") or DEFAULT_DATABASE).resolve()
        serve = serve_path or os.environ.get("LEAD_FUNNEL_SERVE_PATH") or default_serve_path(db)
        artifacts = (
            artifacts_dir
            or os.environ.get("LEAD_FUNNEL_ARTIFACTS_DIR")
            or default_artifacts_dir(db)
        )
        return cls(db, Path(serve).resolve(), Path(artifacts).resolve())

    def export(self) -> None:
        """Make these the environment of this process (read by dbt and the Dagster resources)."""
        os.environ["LEAD_FUNNEL_DATABASE"] = str(self.database)
        os.environ["LEAD_FUNNEL_SERVE_PATH"] = str(self.serve_path)
        os.environ["LEAD_FUNNEL_ARTIFACTS_DIR"] = str(self.artifacts_dir)

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
