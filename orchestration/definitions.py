"""The one Dagster Definitions of lead-funnel.

raw tables (external assets) -> dbt (seeds, staging, intermediate, marts into
marts_build; dbt tests as asset checks) -> SLA breaches (Python) -> the GX
stage-definition invariants and the data gate (blocking asset checks on the marts) ->
publication.
"""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, AssetSpec, Definitions, define_asset_job

from lead_funnel.contract import raw_tables
from lead_funnel.telemetry import disable_telemetry
from orchestration.dbt_assets import lead_funnel_dbt_assets
from orchestration.gate_checks import GATE_ASSET, build_gate_checks
from orchestration.publish_assets import PUBLISHED_MARTS_KEY, build_publish_asset
from orchestration.quality_checks import build_quality_checks
from orchestration.resources import build_resources
from orchestration.run_context import FULL_REFRESH_TAG
from orchestration.schedules import build_nightly_schedule
from orchestration.sla_assets import SLA_BREACHES_KEY, SLA_EVALUATIONS_KEY, sla_breaches

disable_telemetry()

RAW_TABLE_ASSETS = [
    AssetSpec(
        AssetKey([table.source, table.name]),
        group_name="raw",
        kinds={"duckdb"},
        description=f"{table.qualified_name}, landed by the EL tool (contract section 1).",
    )
    for table in raw_tables()
]

MART_KEYS = sorted(
    [key for key in lead_funnel_dbt_assets.keys if key.path[0] == "marts"]
    + [SLA_BREACHES_KEY, SLA_EVALUATIONS_KEY],
    key=lambda key: key.to_user_string(),
)

published_marts = build_publish_asset([*MART_KEYS, GATE_ASSET])
quality_checks = build_quality_checks(MART_KEYS)
gate_checks = build_gate_checks(MART_KEYS)

PIPELINE = AssetSelection.assets(lead_funnel_dbt_assets, sla_breaches, published_marts)

nightly_refresh = define_asset_job(
    "nightly_refresh",
    selection=PIPELINE,
    description="Build, audit and publish: dbt build, SLA breaches, GX invariants, atomic publication.",
)
full_refresh = define_asset_job(
    "full_refresh",
    selection=PIPELINE,
    tags={FULL_REFRESH_TAG: "true"},
    description="The nightly refresh with every incremental model rebuilt from raw.",
)

defs = Definitions(
    assets=[*RAW_TABLE_ASSETS, lead_funnel_dbt_assets, sla_breaches, published_marts],
    asset_checks=[*quality_checks, *gate_checks],
    jobs=[nightly_refresh, full_refresh],
    schedules=[build_nightly_schedule(nightly_refresh)],
    resources=build_resources(),
)

__all__ = ["PUBLISHED_MARTS_KEY", "defs"]
