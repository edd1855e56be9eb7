"""Invariants on ``fct_attribution_by_channel``: one row per cohort month x channel x model."""

from __future__ import annotations

from data_quality.invariant import QueryContext, Reads, Severity, invariant

ATTRIBUTION = "fct_attribution_by_channel"
FUNNEL = "fct_funnel_by_source"
KEYS = ("cohort_month", "model")
# attributed column -> the funnel's own count it shares out
CONSERVED = {
    "attributed_mqls": "mqls",
    "attributed_opportunities": "opportunities",
    "attributed_pipeline_amount": "pipeline_amount",
    "attributed_won": "won",
    "attributed_won_amount": "won_amount",
}
AMOUNTS = ("pipeline_amount", "won_amount")
# Counts are rounded to 6 decimals and amounts to cents per mart row: each row of either
# side may be off by half a unit of its rounding.
COUNT_TOLERANCE_PER_ROW = 0.000001
AMOUNT_TOLERANCE_PER_ROW = 0.01
EVIDENCE = tuple(column for pair in CONSERVED.items() for column in pair)


@invariant(
    severity=Severity.BLOCKING,
    mart=ATTRIBUTION,
    keys=KEYS,
    evidence=EVIDENCE,
    reads=(
        Reads(ATTRIBUTION, "marts", (*KEYS, "channel", *CONSERVED)),
        Reads(FUNNEL, "marts", ("cohort_month", *CONSERVED.values())),
    ),
)
def attribution_conserves_the_funnel(q: QueryContext) -> str:
    """Per attribution model and cohort month, the attributed MQLs, opportunities, pipeline
    amount, wins and won amount summed over channels equal the funnel's own counts in
    fct_funnel_by_source (contract section 3b: credit is shared, never created or lost).
    Every model that appears in the mart is checked for every cohort month of the funnel;
    a model or month missing on one side reads as 0. Counts may differ by 1e-6 and amounts
    by a cent per mart row (the marts round their sums).

    Blocking: a touch window without its lead's creation, a credit rule whose shares do not
    sum to 1, or a cycle joined twice would publish a channel's pipeline that was never
    created (or lose one), and every model comparison in BI would rest on it.
    """
    attributed = ", ".join(f"sum({column}) as {column}" for column in CONSERVED)
    funnel = ", ".join(f"sum({column}) as {column}" for column in CONSERVED.values())
    checks = " and ".join(
        f"abs(coalesce(a.{column}, 0) - coalesce(f.{count}, 0)) <= "
        f"{AMOUNT_TOLERANCE_PER_ROW if count in AMOUNTS else COUNT_TOLERANCE_PER_ROW}"
        " * (coalesce(a.mart_rows, 0) + coalesce(f.mart_rows, 0) + 1)"
        for column, count in CONSERVED.items()
    )
    evidence = ", ".join(
        f"coalesce(a.{column}, 0) as {column}, coalesce(f.{count}, 0) as {count}"
        for column, count in CONSERVED.items()
    )
    return f"""
    with attributed as (
        select cohort_month, model, count(*) as mart_rows, {attributed}
        from {q.relation(ATTRIBUTION)}
        group by cohort_month, model
    ),
    funnel as (
        select cohort_month, count(*) as mart_rows, {funnel}
        from {q.relation(FUNNEL)}
        group by cohort_month
    ),
    models as (select distinct model from attributed),
    expected as (
        select funnel.*, models.model from funnel cross join models
    )
    select coalesce(a.cohort_month, f.cohort_month) as cohort_month,
        coalesce(a.model, f.model) as model,
        {evidence},
        {checks} as holds
    from attributed as a
    full outer join expected as f
        on a.cohort_month = f.cohort_month and a.model = f.model
    """
