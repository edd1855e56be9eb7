"""The one Definitions: assets from the dbt manifest, the SLA asset, the GX checks, the schedule."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dagster import AssetKey, build_schedule_context

from data_quality import INVARIANTS


@pytest.fixture(scope="module")
def definitions():  # type: ignore[no-untyped-def]
    from orchestration.definitions import defs

    return defs


def test_dagster_definitions_validate() -> None:
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]


def test_the_graph_holds_dbt_models_sla_and_publication(definitions) -> None:  # type: ignore[no-untyped-def]
    graph = definitions.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for expected in (
        "salesforce/lead",  # a raw table (external asset)
        "seeds/lead_status_map",
        "staging/stg_salesforce__lead",
        "intermediate/int_lead_cycles",
        "marts/fct_lead_cycles",
        "marts/dim_leads",
        "marts/fct_sla_breaches",
        "publication/published_marts",
    ):
        assert expected in keys
    publish_parents = graph.get(AssetKey(["publication", "published_marts"])).parent_keys
    assert AssetKey(["marts", "fct_sla_breaches"]) in publish_parents
    assert AssetKey(["marts", "fct_lead_cycles"]) in publish_parents


def test_every_invariant_is_an_asset_check_blocking_or_not(definitions) -> None:  # type: ignore[no-untyped-def]
    specs = {
        spec.key.name: spec
        for checks in definitions.asset_checks or []
        for spec in checks.check_specs
    }
    for invariant in INVARIANTS:
        assert specs[invariant.name].blocking is invariant.is_blocking
    # dbt tests are asset checks too
    graph = definitions.resolve_asset_graph()
    checks = {(key.asset_key.path[-1], key.name) for key in graph.asset_check_keys}
    # a model's row-level tests are one check (column_checks), each reconciliation its own
    folded_kinds = ("not_null_", "unique_", "accepted_values_", "relationships_", "value_between_")
    by_model = [name for asset, name in checks if asset == "fct_lead_cycles"]
    assert "column_checks_fct_lead_cycles" in by_model, by_model
    assert not [name for name in by_model if name.startswith(folded_kinds)], by_model
    reconciliations = [
        name
        for asset, name in checks
        if asset == "fct_funnel_by_source" and name.startswith("totals_reconcile_")
    ]
    assert len(reconciliations) == 3, sorted(checks)[:20]


def test_the_schedule_runs_nightly_at_two_utc_with_the_tick_as_as_of(definitions) -> None:  # type: ignore[no-untyped-def]
    schedule = definitions.resolve_schedule_def("nightly_refresh_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "nightly_refresh"
    tick = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    request = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick)
    ).run_requests[0]
    assert request.tags["lead_funnel/as_of"] == "2026-01-05 02:00:00"


def test_cron_and_time_zone_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.definitions import nightly_refresh
    from orchestration.schedules import build_nightly_schedule

    monkeypatch.setenv("LEAD_FUNNEL_SCHEDULE_CRON", "30 3 * * 1-5")
    monkeypatch.setenv("LEAD_FUNNEL_SCHEDULE_TIMEZONE", "America/New_York")
    monkeypatch.delenv("LEAD_FUNNEL_SCHEDULE_STATUS", raising=False)
    assert build_nightly_schedule(nightly_refresh).default_status.value == "STOPPED"  # explicit
    monkeypatch.setenv("LEAD_FUNNEL_SCHEDULE_STATUS", "RUNNING")
    schedule = build_nightly_schedule(nightly_refresh)
    assert (schedule.cron_schedule, schedule.execution_timezone) == (
        "30 3 * * 1-5",
        "America/New_York",
    )
    assert schedule.default_status.value == "RUNNING"
    # 03:30 in New York in January is 08:30 UTC: the as-of is always UTC
    tick = datetime(2026, 1, 6, 3, 30, tzinfo=ZoneInfo("America/New_York"))
    request = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick)
    ).run_requests[0]
    assert request.tags["lead_funnel/as_of"] == "2026-01-06 08:30:00"


def test_full_refresh_job_is_tagged(definitions) -> None:  # type: ignore[no-untyped-def]
    job = definitions.resolve_job_def("full_refresh")
    assert job.tags["lead_funnel/full_refresh"] == "true"


def test_cli_runs_record_into_the_warehouse_dagster_home_the_ui_opens(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from dagster import DagsterInstance, job, op

    from lead_funnel.settings import PipelineSettings
    from orchestration.pipeline import _instance, dagster_home

    settings = PipelineSettings.resolve(tmp_path / "warehouse.duckdb")
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setenv("LEAD_FUNNEL_DAGSTER_INSTANCE", "ephemeral")
    assert dagster_home(settings) is None  # the tests' throwaway instances
    monkeypatch.delenv("LEAD_FUNNEL_DAGSTER_INSTANCE")
    assert dagster_home(settings) == tmp_path / "warehouse_artifacts" / "dagster_home"

    @op
    def one() -> int:
        return 1

    @job
    def tiny() -> None:
        one()

    run_id = tiny.execute_in_process(instance=_instance(settings)).run_id
    # what `lead-funnel ui` opens for this warehouse (DAGSTER_HOME = that directory) sees it
    seen = DagsterInstance.from_config(str(settings.dagster_home))
    assert [run.run_id for run in seen.get_runs()] == [run_id]
    # with its events, written through the run's pooled event-log connections
    steps = [
        (entry.dagster_event.event_type_value, entry.dagster_event.step_key)
        for entry in seen.all_logs(run_id)
        if entry.dagster_event is not None and entry.dagster_event.step_key
    ]
    assert ("STEP_SUCCESS", "one") in steps
    assert seen.get_run_by_id(run_id).is_success


def test_the_data_gate_is_a_blocking_check_publication_waits_for(definitions) -> None:  # type: ignore[no-untyped-def]
    from orchestration.gate_checks import GATE_ASSET

    specs = {
        spec.key.name: spec
        for checks in definitions.asset_checks or []
        for spec in checks.check_specs
        if spec.key.name.startswith("gate_")
    }
    assert set(specs) == {
        "gate_as_of_before_data",
        "gate_as_of_after_data",
        "gate_source_missing",
        "gate_unmapped_share",
        "gate_quarantine_share",
        "gate_mart_shrink",
    }
    assert all(spec.blocking and spec.asset_key == GATE_ASSET for spec in specs.values())
    graph = definitions.resolve_asset_graph()
    assert GATE_ASSET in graph.get(AssetKey(["publication", "published_marts"])).parent_keys
