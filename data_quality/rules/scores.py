"""Invariants on ``fct_lead_scores``: one row per live lead, as of the run."""

from __future__ import annotations

from data_quality.invariant import QueryContext, Reads, Setting, Severity, invariant

SCORES = "fct_lead_scores"
KEYS = ("lead_id",)
COMPONENTS = ("fit_score", "engagement_score", "intent_score", "negative_score")
FIT_GATE = Setting("fit_gate")
# Float summation noise only: a total rounded apart from its displayed components is a bug.
SCORE_SUM_TOLERANCE = 0.001


@invariant(
    severity=Severity.BLOCKING,
    mart=SCORES,
    keys=KEYS,
    evidence=(*COMPONENTS, "total_score", "component_sum"),
    reads=(Reads(SCORES, "marts", (*KEYS, *COMPONENTS, "total_score")),),
)
def score_components_add_up_to_total(q: QueryContext) -> str:
    """A lead's score components add up to its total: fit + engagement + intent + negative
    (the negative score carries its sign, as the negative_score_rules seed's points do; a NULL
    component reads as 0) equals ``total_score`` within 0.001 points. Leads without a total
    are not applicable.

    Blocking: the total is defined as the sum of its parts, and BI shows both side by side; a
    total that differs from its components means the scoring model contradicts itself.
    """
    total = " + ".join(f"coalesce({column}, 0)" for column in COMPONENTS)
    return f"""
    select {", ".join(KEYS)}, {", ".join(COMPONENTS)}, total_score,
        {total} as component_sum,
        case
            when total_score is not null
                then abs(({total}) - total_score) <= {SCORE_SUM_TOLERANCE}
        end as holds
    from {q.relation(SCORES)}
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=SCORES,
    keys=KEYS,
    evidence=("fit_score", "fit_gate", "is_mql_eligible"),
    reads=(Reads(SCORES, "marts", (*KEYS, "fit_score", "is_mql_eligible")),),
    settings=(FIT_GATE,),
)
def leads_below_the_fit_gate_are_never_mql_eligible(q: QueryContext) -> str:
    """A lead below the fit gate is never ``is_mql_eligible``: every eligible lead has a
    ``fit_score`` at or above ``fit_gate`` (scoring_settings seed; an unknown fit score does not
    pass the gate).

    Blocking: the fit gate is part of the MQL definition (engagement alone never makes an MQL),
    so an eligible lead below it means the scoring model ignores its own gate.
    """
    gate = q.setting(FIT_GATE)
    return f"""
    select {", ".join(KEYS)}, fit_score, {gate} as fit_gate, is_mql_eligible,
        case when is_mql_eligible then coalesce(fit_score >= {gate}, false) end as holds
    from {q.relation(SCORES)}
    """
