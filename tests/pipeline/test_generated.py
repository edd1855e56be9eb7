"""The nightly job on generated data: clean audit, and an incremental nightly run after late and
re-synced rows arrive gives exactly the marts a full refresh gives (issue 3)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from lead_funnel.run_parameters import RunParameters
from lead_funnel.settings import PipelineSettings
from lead_funnel_tools.generator import append_days
from orchestration.pipeline import run_pipeline
from tests.conftest import query
from tests.pipeline.wap_support import table_checksums

pytestmark = pytest.mark.slow


def run(database: Path, as_of, *, full_refresh: bool = False):  # type: ignore[no-untyped-def]
    parameters = RunParameters(
        PipelineSettings.resolve(database), as_of=as_of, full_refresh=full_refresh
    )
    outcome = run_pipeline(parameters, progress=False)
    assert outcome.success, "\n".join(outcome.failures)
    return outcome


@pytest.fixture(scope="module")
def generated(generated_run):  # type: ignore[no-untyped-def]
    return generated_run


def test_clean_generated_data_passes_every_blocking_check(generated) -> None:  # type: ignore[no-untyped-def]
    outcome = generated["outcome"]
    assert outcome.failed_blocking_checks == []
    gx = {c.name for c in outcome.checks}
    assert {"cycle_stage_times_never_go_backwards", "every_raw_row_is_accounted_for"} <= gx
    # the generator's bad input is all accounted for, none of it lost
    assert query(
        generated["database"],
        "select sum(abs(unaccounted_rows)) from audit.reconciliation_raw_rows",
    ) == [(0,)]
    quarantined = query(
        generated["database"], "select count(*) from quarantine.quarantine_salesforce"
    )[0][0]
    assert quarantined > 0


def test_an_incremental_nightly_run_equals_a_full_refresh(generated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a copy: the session's warehouse stays as the fixture built it for the other modules
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(generated["database"], database)
    report = append_days(database, days=2, progress=False)
    as_of = report.window_end + timedelta(hours=2)
    # late-arriving and re-synced rows: dated before the previous as-of, synced after it
    cutoff = f"timestamp '{generated['as_of']:%Y-%m-%d %H:%M:%S}'"
    late = sum(
        query(
            database,
            f"select count(*) from {table} where {column} < {cutoff} and _fivetran_synced > {cutoff}",
        )[0][0]
        for table, column in (
            ("raw_salesforce.lead", "created_date"),
            ("raw_salesforce.lead_history", "created_date"),
            ("raw_salesforce.task", "created_date"),
            ("raw_marketo.activity_visit_webpage", "activity_date"),
            ("raw_marketo.activity_open_email", "activity_date"),
        )
    )
    assert late > 0
    full_copy = tmp_path / "full" / "warehouse.duckdb"
    full_copy.parent.mkdir()
    shutil.copy(database, full_copy)

    run(database, as_of)  # incremental: the staging bases re-read only recent syncs
    run(full_copy, as_of, full_refresh=True)

    incremental = table_checksums(database, schemas=("marts", "staging", "intermediate"))
    full = table_checksums(full_copy, schemas=("marts", "staging", "intermediate"))
    assert incremental.keys() == full.keys()
    # the stored decayed sums are decayed to the as-of each bucket was last computed at (the
    # marts rescale them to tonight's): by design not equal to a refresh's; the marts are
    different = {
        name
        for name in full
        if incremental[name] != full[name] and name != "intermediate.int_scoring_decayed_points"
    }
    assert different == set()
