"""The GX stage-definition invariants (data_quality) as Dagster asset checks on the marts.

One multi-asset check runs every invariant with one GX context (GX start-up is
paid once per run), records the verdict in the warehouse (publication refuses a
build whose blocking checks failed or never ran) and reports one check result per
invariant: blocking invariants are blocking checks with ERROR severity, warnings
are WARN.
"""

from collections.abc import Iterator, Sequence

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from data_quality import INVARIANTS, CheckReport
from lead_funnel.audit_log import AuditEntry, record_audit
from lead_funnel.faults import checkpoint
from lead_funnel.progress import report
from lead_funnel.settings import BUILD_SCHEMA
from lead_funnel.warehouse import connect
from orchestration.resources import RunParametersResource

AUDIT_RELATIONS = {"reconciliation_raw_rows", "source_schema_gaps"}


def asset_key_for_mart(mart: str) -> AssetKey:
    return AssetKey(["audit" if mart in AUDIT_RELATIONS else "marts", mart])


def _audit_entries(check_report: CheckReport) -> list[AuditEntry]:
    return [
        AuditEntry(str(r.name), str(r.severity), r.mart, bool(r.success), r.unexpected_count)
        for r in check_report.results
    ]


def build_quality_checks(mart_keys: Sequence[AssetKey]) -> list:
    # Every check waits for every mart: the invariants run once, together, on the whole build.
    specs = [
        AssetCheckSpec(
            name=invariant.name,
            asset=asset_key_for_mart(invariant.mart),
            blocking=invariant.is_blocking,
            description=invariant.summary,
            additional_deps=[key for key in mart_keys if key != asset_key_for_mart(invariant.mart)],
        )
        for invariant in INVARIANTS
    ]

    @multi_asset_check(
        specs=specs,
        name="stage_definition_invariants",
        description="The stage-definition invariants (Great Expectations), run on the build before publication.",
    )
    def stage_definition_invariants(
        context: AssetCheckExecutionContext, run_parameters: RunParametersResource
    ) -> Iterator[AssetCheckResult]:
        from data_quality import run_checks

        parameters = run_parameters.parameters
        settings, as_of = parameters.settings, parameters.as_of
        engine = " on Spark" if parameters.on_spark else ""
        report("checks", f"{len(INVARIANTS)} invariants (Great Expectations){engine}")
        checkpoint("checks")
        if parameters.on_spark:
            from data_quality.spark_runner import run_checks_on_spark
            from lead_funnel import spark_publish
            from lead_funnel.spark_engine import open_session

            assert parameters.warehouse_dir is not None
            spark = open_session(parameters.warehouse_dir)
            check_report = run_checks_on_spark(
                spark, marts_schema=BUILD_SCHEMA, as_of=as_of, data_docs_dir=settings.data_docs_dir
            )
            spark_publish.record_audit(
                spark, context.run.run_id, as_of, _audit_entries(check_report)
            )
        else:
            with connect(settings.database) as con:
                check_report = run_checks(
                    con,
                    marts_schema=BUILD_SCHEMA,
                    as_of=as_of,
                    data_docs_dir=settings.data_docs_dir,
                )
                record_audit(con, context.run.run_id, as_of, _audit_entries(check_report))
        report(
            "checks",
            f"{len(check_report.passed)} passed, {len(check_report.blocking_failures)} blocking failed, "
            f"{len(check_report.warnings)} warnings",
        )
        for result in check_report.results:
            metadata: dict[str, object] = {
                "severity": str(result.severity),
                "status": str(result.status),
                "unexpected_count": result.unexpected_count,
                "checked_count": result.checked_count,
            }
            if result.sample_rows:
                metadata["sample_rows"] = MetadataValue.json(list(result.sample_rows))
            if result.failed_rows_table:
                metadata["failed_rows"] = result.failed_rows_table
            if result.breakdown:
                metadata["breakdown"] = MetadataValue.json(result.breakdown)
            if check_report.data_docs_index:
                metadata["data_docs"] = MetadataValue.path(str(check_report.data_docs_index))
            yield AssetCheckResult(
                asset_key=asset_key_for_mart(result.mart),
                check_name=result.name,
                passed=bool(result.success),
                severity=AssetCheckSeverity.ERROR
                if result.is_blocking_failure
                else AssetCheckSeverity.WARN,
                description=result.headline(),
                metadata=metadata,
            )

    return [stage_definition_invariants]
