"""How a run's parameters travel on a Dagster run.

The per-run ones (as-of, full refresh, accepted gate rules) are run tags, so the schedule
(its tick), the CLI (--as-of) and the UI (the launch time) set them the same way and they
are visible on the run; where the run reads and writes is the `run_parameters` resource's
config (orchestration.resources). `parameters_for_run` turns both into the one
`RunParameters` every asset and check reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lead_funnel.gate import parse_accepted
from lead_funnel.run_parameters import Engine, RunParameters, format_as_of, parse_as_of
from lead_funnel.settings import PipelineSettings

AS_OF_TAG = "lead_funnel/as_of"
FULL_REFRESH_TAG = "lead_funnel/full_refresh"
ACCEPT_TAG = "lead_funnel/accept"


def run_tags(parameters: RunParameters) -> dict[str, str]:
    """The tags that carry `parameters`' per-run values."""
    tags = {
        AS_OF_TAG: format_as_of(parameters.as_of),
        FULL_REFRESH_TAG: str(parameters.full_refresh).lower(),
    }
    if parameters.accept:
        tags[ACCEPT_TAG] = ",".join(sorted(parameters.accept))
    return tags


def parameters_for_run(
    settings: PipelineSettings,
    run: Any,
    instance: Any,
    *,
    engine: Engine = "duckdb",
    warehouse_dir: Path | None = None,
) -> RunParameters:
    """The run's parameters: `settings`, and its tags; without an as-of tag (a launch from
    the UI), the moment the run was created (the same for every step)."""
    tags = run.tags
    if tags.get(AS_OF_TAG):
        as_of = parse_as_of(tags[AS_OF_TAG])
    else:
        record = instance.get_run_record_by_id(run.run_id)
        as_of = parse_as_of(record.create_timestamp if record else datetime.now(UTC))
    return RunParameters(
        settings,
        as_of=as_of,
        full_refresh=tags.get(FULL_REFRESH_TAG, "false").lower() == "true",
        accept=frozenset(parse_accepted(tags.get(ACCEPT_TAG))),
        engine=engine,
        warehouse_dir=warehouse_dir,
    )
