"""SLA breaches on the working-hours clock, computed after dbt, before the audit."""

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from lead_funnel.faults import checkpoint
from lead_funnel.progress import report
from lead_funnel.settings import BUILD_SCHEMA
from lead_funnel.sla.alerts import publish_alert
from lead_funnel.sla.breaches import write_sla_tables
from lead_funnel.warehouse import connect
from orchestration.resources import RunParametersResource

SLA_BREACHES_KEY = AssetKey(["marts", "fct_sla_breaches"])
SLA_EVALUATIONS_KEY = AssetKey(["marts", "fct_sla_evaluations"])
SLA_INPUTS = [
    AssetKey(["intermediate", "int_sla_clock_starts"]),
    AssetKey(["seeds", "business_hours"]),
    AssetKey(["seeds", "holidays"]),
]


@multi_asset(
    specs=[
        AssetSpec(
            SLA_BREACHES_KEY,
            deps=SLA_INPUTS,
            group_name="marts",
            description="One row per SLA breach (contract section 3): working hours in the owner's time zone.",
            kinds={"python", "duckdb"},
        ),
        AssetSpec(
            SLA_EVALUATIONS_KEY,
            deps=SLA_INPUTS,
            group_name="marts",
            description="Every SLA clock: met on time, pending, breached (closed or open).",
            kinds={"python", "duckdb"},
        ),
    ],
)
def sla_breaches(context: AssetExecutionContext, run_parameters: RunParametersResource):
    """Run the working-hours clock over int_sla_clock_starts and write both tables atomically."""
    parameters = run_parameters.parameters
    settings, as_of = parameters.settings, parameters.as_of
    report(
        "sla",
        "working-hours clock" + (" (Spark, by owner time zone)" if parameters.on_spark else ""),
    )
    checkpoint("sla")
    relations = {
        "source_relation": "intermediate.int_sla_clock_starts",
        "business_hours_relation": "seeds.business_hours",
        "holidays_relation": "seeds.holidays",
        "target_schema": BUILD_SCHEMA,
        "as_of": as_of,
    }
    if parameters.on_spark:
        from lead_funnel.sla.spark_clock import write_sla_tables_on_spark
        from lead_funnel.spark_engine import open_session

        assert parameters.warehouse_dir is not None
        summary = write_sla_tables_on_spark(open_session(parameters.warehouse_dir), **relations)
    else:
        with connect(settings.database) as con:
            summary = write_sla_tables(con, **relations)
    alert = publish_alert(settings.alerts_dir, summary, as_of, context.run.run_id)
    seconds = sum(summary["seconds"].values())
    report(
        "sla", f"{summary['breaches']} breaches ({summary['open_breaches']} open) in {seconds:.1f}s"
    )
    by_sla = {sla: counts["total"] for sla, counts in summary["breaches_by_sla"].items()}
    yield MaterializeResult(
        asset_key=SLA_BREACHES_KEY,
        metadata={
            "breaches": summary["breaches"],
            "open_breaches": summary["open_breaches"],
            "closed_breaches": summary["closed_breaches"],
            "breaches_by_sla": by_sla,
            "breaches_by_owner_top10": {
                str(owner["owner_id"]): owner["breaches"] for owner in summary["top_owners"]
            },
            "alert_summary": str(alert.path),
            "as_of": str(as_of),
        },
    )
    yield MaterializeResult(
        asset_key=SLA_EVALUATIONS_KEY,
        metadata={"evaluations": summary["evaluations"], "states": summary["states"]},
    )
