"""The data gate (lead_funnel.gate) as blocking asset checks, between the audit and publication.

It runs after every mart and audit relation is built, judges the build against the last
publication and the audit tables, records its verdict in lead_funnel_meta.gate_results
(publication refuses a run without one) and reports one check per rule: a failed blocking
rule is an ERROR (publication is skipped), a warning or an accepted rule is a WARN.
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

from lead_funnel.gate import (
    RULE_ORDER,
    GateFinding,
    accepted_by,
    apply_acceptance,
    evaluate,
    record,
    summarise_rule,
)
from lead_funnel.progress import report
from lead_funnel.warehouse import connect
from orchestration.resources import RunParametersResource

GATE_RULES = RULE_ORDER  # the most fundamental cause first (an as-of before the data
# explains the quarantine and the shrink)
# On an audit relation no invariant checks, so the gate runs after the invariants (it
# depends on every mart) without a cycle; publication depends on it (definitions.py).
GATE_ASSET = AssetKey(["audit", "unmapped_values"])
AUDIT_KEYS = [
    AssetKey(["audit", name])
    for name in ("reconciliation_raw_rows", "source_schema_gaps", "unmapped_values")
]


def build_gate_checks(mart_keys: Sequence[AssetKey]) -> list:
    specs = [
        AssetCheckSpec(
            name=f"gate_{rule}",
            asset=GATE_ASSET,
            blocking=True,
            description=f"Publication gate rule {rule} (seeds/publication_gate.csv).",
            additional_deps=[key for key in [*mart_keys, *AUDIT_KEYS] if key != GATE_ASSET],
        )
        for rule in GATE_RULES
    ]

    @multi_asset_check(
        specs=specs,
        name="publication_gate",
        description="The data gate: refuse to publish a build that would replace good marts with wrong ones.",
    )
    def publication_gate(
        context: AssetCheckExecutionContext, run_parameters: RunParametersResource
    ) -> Iterator[AssetCheckResult]:
        parameters = run_parameters.parameters
        settings, as_of = parameters.settings, parameters.as_of
        if parameters.on_spark:
            # the gate's rules read DuckDB's catalog and the last publication's file; on Spark
            # they are not evaluated (yet): said on every rule, never passed silently
            report("gate", "not evaluated on Spark: the invariants alone decide publication")
            for rule in GATE_RULES:
                yield AssetCheckResult(
                    asset_key=GATE_ASSET,
                    check_name=f"gate_{rule}",
                    passed=False,
                    severity=AssetCheckSeverity.WARN,
                    description="not evaluated on the Spark engine (DuckDB only for now)",
                )
            return
        with connect(settings.database) as con:
            findings = evaluate(con, as_of, settings.raw_schemas)
            apply_acceptance(findings, set(parameters.accept))
            record(con, context.run.run_id, as_of, findings, accepted_by())
        failed = [f for f in findings if not f.passed]
        report("gate", f"{len(findings)} judged, {len(failed)} past their threshold")
        by_rule: dict[str, list[GateFinding]] = {rule: [] for rule in GATE_RULES}
        for finding in findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        for rule, judged in by_rule.items():
            bad = [f for f in judged if not f.passed]
            blocking = any(f.blocks for f in bad)
            yield AssetCheckResult(
                asset_key=GATE_ASSET,
                check_name=f"gate_{rule}",
                passed=not bad,
                severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
                description="\n".join(
                    ([summarise_rule(rule, [f for f in bad if f.blocks])] if blocking else [])
                    + [
                        ("accepted: " if f.accepted else "warning: ") + f.message
                        for f in bad
                        if not f.blocks
                    ]
                )
                or f"{len(judged)} judged, all within their thresholds",
                metadata={
                    "findings": MetadataValue.json(
                        [
                            {
                                "subject": f.subject,
                                "value": f.value,
                                "threshold": f.threshold,
                                "passed": f.passed,
                                "accepted": f.accepted,
                                "action": f.action,
                            }
                            for f in judged
                        ]
                    )
                },
            )

    return [publication_gate]
