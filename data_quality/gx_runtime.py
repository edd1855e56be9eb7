"""Great Expectations (GX Core 1.x) side of the checks: one ephemeral context per run, one suite
per mart, one expectation per invariant, results stored for Data Docs.

GX is imported here lazily, inside functions (the import costs several seconds), and never
through a SQL data source: GX's SQL data source does not work on DuckDB (every expectation
fails inside ``SqlAlchemyExecutionEngine.resolve_metric_bundle``), so DuckDB computes each
invariant's frame and GX validates it with its pandas data source.

Each mart's batch is one DataFrame with one nullable boolean column per invariant, named after
the rule; the rows of an invariant are its applicable entities, and every other invariant's
column is NULL on them. The invariant's expectation, ``ExpectColumnValuesToBeInSet(column=<rule>,
value_set=[True])``, skips NULLs, so GX's unexpected count is the number of offending rows and
its unexpected percent the share of applicable rows that offend.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from data_quality.invariant import Invariant, Severity

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.expectations import Expectation

SITE_NAME = "lead_funnel_stage_invariants"
DATASOURCE_NAME = "lead_funnel_marts"
RUN_NAME = "lead_funnel_stage_invariants"
RESULT_FORMAT: dict[str, Any] = {"result_format": "BASIC", "partial_unexpected_count": 0}


def suite_name(mart: str) -> str:
    return f"{mart}__stage_invariants"


def create_context(data_docs_dir: Path | None = None) -> AbstractDataContext:
    """An ephemeral GX context (in-memory stores, analytics and progress bars off) whose only
    Data Docs site, when ``data_docs_dir`` is given, is that folder. Nothing is written to the
    repository or the working directory."""
    from lead_funnel.telemetry import disable_telemetry

    disable_telemetry()
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites: dict[str, Any] = {}
    if data_docs_dir is not None:
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(data_docs_dir).resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def expectation_for(invariant: Invariant) -> Expectation:
    """The invariant's one GX expectation, named after its rule (``meta.rule``), documented by
    its description (``notes``) and carrying its severity (GX ``critical`` = blocking)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    return gxe.ExpectColumnValuesToBeInSet(
        column=invariant.name,
        value_set=[True],
        description=f"{invariant.name} ({invariant.severity}): {invariant.summary}",
        notes=invariant.description,
        meta={"rule": invariant.name, "severity": str(invariant.severity), "mart": invariant.mart},
        severity=(
            FailureSeverity.CRITICAL
            if invariant.severity is Severity.BLOCKING
            else FailureSeverity.WARNING
        ),
    )


@dataclass(frozen=True)
class ExpectationOutcome:
    """What GX said about one invariant's expectation."""

    success: bool
    unexpected_count: int
    checked_count: int
    unexpected_percent: float | None
    exception: str | None = None


def mart_batch(columns: Mapping[str, pd.Series]) -> pd.DataFrame:
    """One mart's batch: the invariants' ``holds`` values stacked, one nullable boolean column
    per invariant (NULL on the other invariants' rows)."""
    parts = [
        pd.DataFrame({name: pd.array(values.to_numpy(), dtype="boolean")})
        for name, values in columns.items()
    ]
    return pd.concat(parts, ignore_index=True).astype("boolean")


class GxSession:
    """One GX context for a whole run (GX start-up paid once), with the pandas data source
    every mart's batch goes through and the run's identifier (one Data Docs run)."""

    def __init__(self, data_docs_dir: Path | None, run_time: dt.datetime) -> None:
        self.data_docs_dir = data_docs_dir
        self.context = create_context(data_docs_dir)
        self.source = self.context.data_sources.add_pandas(DATASOURCE_NAME)
        self.run_time = run_time

    def validate_mart(
        self, mart: str, invariants: Sequence[Invariant], batch: pd.DataFrame
    ) -> dict[str, ExpectationOutcome]:
        """Validate one mart's suite (its invariants' expectations) on its batch; the result
        is stored in the context for Data Docs. Returns the outcome per invariant name."""
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        asset = self.source.add_dataframe_asset(name=mart)
        batch_definition = asset.add_batch_definition_whole_dataframe(f"{mart}__whole_mart")
        suite = self.context.suites.add(
            gx.ExpectationSuite(
                name=suite_name(mart),
                expectations=[expectation_for(invariant) for invariant in invariants],
                meta={"notes": f"Stage-definition invariants guarding {mart} (data_quality)."},
            )
        )
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite_name(mart), data=batch_definition, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": batch},
            result_format=RESULT_FORMAT,
            run_id=RunIdentifier(run_name=RUN_NAME, run_time=self.run_time),
        )
        return {_rule(item): _outcome(item) for item in result.results}

    def build_data_docs(self) -> Path | None:
        """Render the stored suites and validation results into the Data Docs folder; the
        index page (None without a folder)."""
        if self.data_docs_dir is None:
            return None
        _clear_previous_pages(Path(self.data_docs_dir))
        self.context.build_data_docs(site_names=[SITE_NAME])
        return Path(self.data_docs_dir).resolve() / "index.html"


def _clear_previous_pages(folder: Path) -> None:
    """Remove the pages an earlier run rendered (only GX's own sub-folders and index), so the
    folder shows this run: the context is ephemeral and knows nothing of earlier runs."""
    for sub_folder in ("expectations", "validations"):
        shutil.rmtree(folder / sub_folder, ignore_errors=True)
    (folder / "index.html").unlink(missing_ok=True)


def _rule(item: Any) -> str:
    return str((item.expectation_config.meta or {}).get("rule"))


def _outcome(item: Any) -> ExpectationOutcome:
    details = item.result or {}
    exception = None
    if item.exception_info and item.exception_info.get("raised_exception"):
        exception = str(item.exception_info.get("exception_message"))
    element_count = int(details.get("element_count") or 0)
    missing_count = int(details.get("missing_count") or 0)
    percent = details.get("unexpected_percent")
    return ExpectationOutcome(
        success=bool(item.success),
        unexpected_count=int(details.get("unexpected_count") or 0),
        checked_count=element_count - missing_count,
        unexpected_percent=None if percent is None else float(percent),
        exception=exception,
    )
