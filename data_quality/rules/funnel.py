"""Invariants on ``fct_funnel_by_source``: one row per cohort month x channel x lead_source."""

from __future__ import annotations

from itertools import pairwise

from data_quality.invariant import QueryContext, Reads, Severity, invariant

FUNNEL = "fct_funnel_by_source"
KEYS = ("cohort_month", "channel", "lead_source")
STAGE_COUNTS = ("mqls", "sals", "sqls", "opportunities", "won")
RATES = ("mql_to_sal_rate", "sal_to_sql_rate", "sql_to_opportunity_rate", "opportunity_to_won_rate")


@invariant(
    severity=Severity.BLOCKING,
    mart=FUNNEL,
    keys=KEYS,
    evidence=STAGE_COUNTS,
    reads=(Reads(FUNNEL, "marts", (*KEYS, *STAGE_COUNTS)),),
)
def funnel_stage_counts_never_increase(q: QueryContext) -> str:
    """Per cohort and channel (each funnel row): mqls >= sals >= sqls >= opportunities >= won
    (a NULL count reads as 0).

    Blocking: the counts count cycles, every stage is reached only through the one before it
    (skipped stages are inferred at the later stage's time, a fast-lane cycle's mql_at is its
    hand raise), so a later stage outnumbering an earlier one is a contradiction in our data.
    """
    counts = [f"coalesce({column}, 0)" for column in STAGE_COUNTS]
    chain = " and ".join(f"{a} >= {b}" for a, b in pairwise(counts))
    return f"""
    select {", ".join((*KEYS, *STAGE_COUNTS))},
        {chain} as holds
    from {q.relation(FUNNEL)}
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=FUNNEL,
    keys=KEYS,
    evidence=RATES,
    reads=(Reads(FUNNEL, "marts", (*KEYS, *RATES)),),
)
def funnel_rates_are_fractions(q: QueryContext) -> str:
    """Every conversion rate of a funnel row (mql_to_sal, sal_to_sql, sql_to_opportunity,
    opportunity_to_won) is a fraction in [0, 1], or NULL where its denominator is 0
    (contract section 3); NaN is not a fraction.

    Blocking: with monotone counts every rate is at most 1, so a rate outside [0, 1] is a
    wrong formula or a wrong denominator in the mart, and BI would publish it as a conversion.
    """
    checks = " and ".join(
        f"({rate} is null or (not isnan(cast({rate} as double)) and {rate} between 0 and 1))"
        for rate in RATES
    )
    return f"""
    select {", ".join((*KEYS, *RATES))},
        {checks} as holds
    from {q.relation(FUNNEL)}
    """
