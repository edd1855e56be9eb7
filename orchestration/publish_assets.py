"""Publication: the audited marts become what BI reads, atomically (lead_funnel.publish)."""

from collections.abc import Sequence

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, asset

from lead_funnel.audit_log import blocking_failures_for_run
from lead_funnel.gate import refusals_for_run
from lead_funnel.progress import report
from lead_funnel.publish import PublicationRefused, publish_marts
from lead_funnel.run_parameters import RunParameters
from lead_funnel.settings import PipelineSettings
from lead_funnel.warehouse import connect
from orchestration.resources import RunParametersResource

PUBLISHED_MARTS_KEY = AssetKey(["publication", "published_marts"])


def refuse_unless_audited(audit: list[str] | None) -> None:
    """Publication needs this run's audit (None: the checks did not run) with no blocking failure."""
    if audit is None:
        raise PublicationRefused(
            "this run has not audited the marts (the data-quality checks did not run): "
            "nothing is published"
        )
    if audit:
        raise PublicationRefused(
            "blocking data-quality checks failed: "
            + ", ".join(audit)
            + "; the previous publication is kept"
        )


def write_report(context: AssetExecutionContext, settings: PipelineSettings) -> dict[str, str]:
    """The funnel report of what was just published. The publication stands if it fails."""
    from lead_funnel.report import render_report

    try:
        rendered = render_report(settings.serve_path, settings.report_path)
    except Exception as error:  # the marts are published; say loudly that the page is not
        context.log.error(f"the funnel report could not be written: {error!r}")
        report("report", f"FAILED: {error!r}")
        return {"report_error": repr(error)}
    report("report", f"{rendered.path} ({rendered.bytes / 1e6:.1f} MB, {rendered.seconds:.1f}s)")
    return {"report_path": str(rendered.path)}


def _publish_on_spark(
    context: AssetExecutionContext, parameters: RunParameters
) -> MaterializeResult:
    """Write-audit-publish on Spark (lead_funnel.spark_publish): refused unless this run's
    invariants were recorded and none of the blocking ones failed."""
    from lead_funnel import spark_publish
    from lead_funnel.spark_engine import open_session

    assert parameters.warehouse_dir is not None
    spark = open_session(parameters.warehouse_dir)
    audit = spark_publish.blocking_failures_for_run(spark, context.run.run_id)
    refuse_unless_audited(audit)
    report("publish", "publishing to the Spark database marts (pointer flip)")
    result = spark_publish.publish_marts(spark, run_id=context.run.run_id, as_of=parameters.as_of)
    report(
        "publish",
        f"{len(result.relations)} relations as {result.publication} in {result.seconds:.1f}s "
        f"(copy {result.copy_seconds:.1f}s)",
    )
    return MaterializeResult(
        metadata={
            "publication": result.publication,
            "relations": result.relations,
            "seconds": round(result.seconds, 2),
            "copy_seconds": round(result.copy_seconds, 2),
            "as_of": str(parameters.as_of),
        }
    )


def build_publish_asset(mart_keys: Sequence[AssetKey]):
    @asset(
        key=PUBLISHED_MARTS_KEY,
        deps=list(mart_keys),
        group_name="publication",
        kinds={"duckdb"},
        description=(
            "The audited marts, published atomically: a new serve file renamed over the old one "
            "(BI readers keep their snapshot), and marts.* replaced in one transaction."
        ),
    )
    def published_marts(
        context: AssetExecutionContext, run_parameters: RunParametersResource
    ) -> MaterializeResult:
        parameters = run_parameters.parameters
        settings, as_of = parameters.settings, parameters.as_of
        if parameters.on_spark:
            return _publish_on_spark(context, parameters)
        with connect(settings.database) as con:
            audit = blocking_failures_for_run(con, context.run.run_id)
            gate = refusals_for_run(con, context.run.run_id)
        refuse_unless_audited(audit)
        if gate is None:
            raise PublicationRefused(
                "this run has not passed the data gate (lead_funnel.gate did not run): "
                "nothing is published"
            )
        if gate:
            raise PublicationRefused("the data gate refused the build: " + "; ".join(gate))
        report("publish", f"publishing to {settings.serve_path}")
        result = publish_marts(settings, run_id=context.run.run_id, as_of=as_of)
        report(
            "publish",
            f"{len(result.relations)} relations in {result.seconds:.1f}s (serve file "
            f"{result.serve_copy_seconds:.1f}s, warehouse marts {result.warehouse_copy_seconds:.1f}s)",
        )
        report_metadata = write_report(context, settings)
        return MaterializeResult(
            metadata={
                **report_metadata,
                "serve_path": str(result.serve_path),
                "relations": result.relations,
                "serve_bytes": result.serve_bytes,
                "seconds": round(result.seconds, 2),
                "serve_copy_seconds": round(result.serve_copy_seconds, 2),
                "warehouse_copy_seconds": round(result.warehouse_copy_seconds, 2),
                "as_of": str(as_of),
            }
        )

    return published_marts
