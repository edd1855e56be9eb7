"""Invariants on ``fct_lead_cycles``: the stage definitions of contract section 2, cycle by cycle.

A cycle is one pass of a lead through the handoff: it opens at ``mql_at``, sales decide at
``sales_decision_at`` (accept, reject, recycle, disqualify), an accepted cycle may reach SQL,
opportunity and won / lost. Skipped stages are inferred (``is_sal_inferred``,
``is_sql_inferred``); cycles resting on source rows that were out of order are kept and flagged
(``has_out_of_order_source``).
"""

from __future__ import annotations

from data_quality.invariant import QueryContext, Reads, Setting, Severity, invariant

CYCLES = "fct_lead_cycles"
REJECTION_REASONS = "rejection_reasons"
SQL_MIN_BANT_FLAGS = Setting("sql_min_bant_flags")
FIT_GATE = Setting("fit_gate")
MQL_THRESHOLD = Setting("mql_threshold")

STAGE_TIMES = (
    "mql_at",
    "sales_decision_at",
    "sal_at",
    "sql_at",
    "opportunity_created_at",
    "won_at",
    "lost_at",
    "rejected_at",
    "recycled_at",
    "disqualified_at",
)
KEYS = ("cycle_id", "lead_id")


def _cycles(*columns: str) -> Reads:
    return Reads(CYCLES, "marts", tuple(dict.fromkeys((*KEYS, *columns))))


def stage_times_in_order_sql() -> str:
    """TRUE when no recorded stage time of a cycle precedes an earlier stage's time.

    Each stage is compared with the latest of the stages before it that are set (DuckDB's
    ``greatest`` skips NULLs), so a skipped or not-yet-reached stage never breaks the chain:
    mql_at <= sales_decision_at (= sal_at when accepted) <= sql_at <= opportunity_created_at
    <= won_at / lost_at; a rejection, recycle or disqualification closes the cycle after the
    handoff and the sales decision.
    """
    after_decision = "greatest(mql_at, sales_decision_at)"
    after_sql = "greatest(mql_at, sales_decision_at, sal_at, sql_at)"
    after_opportunity = (
        "greatest(mql_at, sales_decision_at, sal_at, sql_at, opportunity_created_at)"
    )
    checks = [
        "sales_decision_at >= mql_at",
        "sal_at >= mql_at",
        "sql_at >= greatest(mql_at, sales_decision_at, sal_at)",
        f"opportunity_created_at >= {after_sql}",
        f"won_at >= {after_opportunity}",
        f"lost_at >= {after_opportunity}",
        f"rejected_at >= {after_decision}",
        f"recycled_at >= {after_decision}",
        f"disqualified_at >= {after_decision}",
    ]
    return "(" + "\n        and ".join(f"coalesce({check}, true)" for check in checks) + ")"


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=STAGE_TIMES,
    reads=(_cycles(*STAGE_TIMES, "has_out_of_order_source"),),
)
def cycle_stage_times_never_go_backwards(q: QueryContext) -> str:
    """Within a cycle, stage times never go backwards: mql_at <= sales_decision_at <= sql_at
    <= opportunity_created_at <= won_at / lost_at (and a rejection, recycle or
    disqualification comes after the handoff and the decision).

    Blocking: our segmentation orders the events of a cycle, so a cycle whose times run
    backwards means our logic went wrong. Cycles flagged ``has_out_of_order_source`` are exempt
    (not applicable here): their source history was already out of order, which is the CRM's
    problem, not ours; ``cycles_rest_on_in_order_source_data`` counts them as a warning.
    """
    return f"""
    select {", ".join((*KEYS, *STAGE_TIMES))},
        case
            when coalesce(has_out_of_order_source, false) then null
            else {stage_times_in_order_sql()}
        end as holds
    from {q.relation(CYCLES)}
    """


@invariant(
    severity=Severity.WARNING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("owner_id", "has_out_of_order_source", "stage_times_in_order", *STAGE_TIMES[:7]),
    reads=(_cycles("owner_id", "has_out_of_order_source", *STAGE_TIMES),),
)
def cycles_rest_on_in_order_source_data(q: QueryContext) -> str:
    """A cycle rests on source rows whose times are in order (``has_out_of_order_source`` is
    false); every flagged cycle is counted, with whether its stage times run backwards.

    Warning: these cycles are exempt from ``cycle_stage_times_never_go_backwards`` because the
    CRM's own history was out of order (a status change dated before the lead's creation, an
    opportunity created before the stages that lead to it); the rows are kept and flagged as the
    contract requires, and the count tells the CRM admins how much history to clean up.
    """
    return f"""
    select {", ".join(KEYS)}, owner_id, has_out_of_order_source,
        {stage_times_in_order_sql()} as stage_times_in_order,
        {", ".join(STAGE_TIMES[:7])},
        not coalesce(has_out_of_order_source, false) as holds
    from {q.relation(CYCLES)}
    """


DECISION_TIMES = ("sales_decision_at", "sal_at", "rejected_at", "recycled_at", "disqualified_at")


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("mql_at", "sales_decision", *DECISION_TIMES),
    reads=(_cycles("mql_at", "sales_decision", *DECISION_TIMES),),
)
def cycle_decisions_follow_a_handoff(q: QueryContext) -> str:
    """Every sales decision (an acceptance / SAL, a rejection, a recycle, a disqualification)
    belongs to a cycle that has a handoff: its ``mql_at`` is set.

    Blocking: a cycle opens at the handoff by definition, so a decision without one means the
    segmentation attached an event to a cycle that never opened. (Whether the decision came
    *after* the handoff is ``cycle_stage_times_never_go_backwards``.)
    """
    decided = " or ".join(f"{column} is not null" for column in DECISION_TIMES)
    return f"""
    select {", ".join(KEYS)}, mql_at, sales_decision, {", ".join(DECISION_TIMES)},
        case when {decided} or sales_decision is not null then mql_at is not null end as holds
    from {q.relation(CYCLES)}
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("sql_at", "sales_decision", "sal_at"),
    reads=(_cycles("sql_at", "sales_decision", "sal_at"),),
)
def sqls_follow_an_acceptance(q: QueryContext) -> str:
    """Every SQL follows an acceptance: a cycle with ``sql_at`` has ``sales_decision =
    'accepted'`` and a ``sal_at`` (recorded, or inferred at the SQL when sales skipped the
    SAL status, contract section 2).

    Blocking: skipped stages are inferred, never lost, so an SQL without an acceptance breaks
    the funnel's monotone counts (SAL >= SQL) and means our inference went wrong.
    """
    return f"""
    select {", ".join(KEYS)}, sql_at, sales_decision, sal_at,
        case
            when sql_at is not null
                then coalesce(sales_decision = 'accepted' and sal_at is not null, false)
        end as holds
    from {q.relation(CYCLES)}
    """


OPPORTUNITY_COLUMNS = ("opportunity_id", "opportunity_created_at", "won_at", "lost_at")


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=(*OPPORTUNITY_COLUMNS, "sql_at"),
    reads=(_cycles(*OPPORTUNITY_COLUMNS, "sql_at"),),
)
def opportunities_follow_an_sql(q: QueryContext) -> str:
    """Every opportunity (and every won or lost outcome) follows an SQL: a cycle with an
    opportunity, ``won_at`` or ``lost_at`` has ``sql_at`` (recorded or inferred).

    Blocking: like SQLs without an acceptance, an opportunity without an SQL breaks the
    monotone funnel (SQL >= opportunity) and means a skipped stage was lost instead of inferred.
    """
    reached = " or ".join(f"{column} is not null" for column in OPPORTUNITY_COLUMNS)
    return f"""
    select {", ".join(KEYS)}, {", ".join(OPPORTUNITY_COLUMNS)}, sql_at,
        case when {reached} then sql_at is not null end as holds
    from {q.relation(CYCLES)}
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("cycle_number", "outcome", "open_cycles_of_lead"),
    reads=(_cycles("cycle_number", "outcome"),),
)
def lead_has_at_most_one_open_cycle(q: QueryContext) -> str:
    """A lead has at most one open cycle (``outcome = 'open'``); every open cycle of a lead with
    two or more is an offending row.

    Blocking: a cycle opens only while none is open (an MQL inside an open cycle opens nothing),
    so two open cycles mean the segmentation lost a close or opened a cycle twice.
    """
    return f"""
    select {", ".join(KEYS)}, cycle_number, outcome, open_cycles_of_lead,
        case when outcome = 'open' then open_cycles_of_lead <= 1 end as holds
    from (
        select *,
            count(*) filter (where outcome = 'open') over (partition by lead_id)
                as open_cycles_of_lead
        from {q.relation(CYCLES)}
    ) as cycles
    """


@invariant(
    severity=Severity.BLOCKING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("cycle_number", "expected_cycle_number"),
    reads=(_cycles("cycle_number"),),
)
def cycle_numbers_run_from_one_without_gaps(q: QueryContext) -> str:
    """A lead's cycle numbers are 1..n without gaps or repeats: ordered by number, the k-th
    cycle of a lead has ``cycle_number = k``.

    Blocking: ``cycle_id`` and every "cycle 2 after a recycle" analysis rest on the numbering;
    a gap or a repeat means a cycle was dropped or duplicated between the model and the mart.
    """
    return f"""
    select {", ".join(KEYS)}, cycle_number, expected_cycle_number,
        coalesce(cycle_number = expected_cycle_number, false) as holds
    from (
        select *,
            row_number() over (partition by lead_id order by cycle_number, cycle_id)
                as expected_cycle_number
        from {q.relation(CYCLES)}
    ) as cycles
    """


@invariant(
    severity=Severity.WARNING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("owner_id", "outcome", "rejection_reason"),
    reads=(
        _cycles("owner_id", "outcome", "rejection_reason"),
        Reads(REJECTION_REASONS, "seeds", ("reason_code",)),
    ),
    group_by="owner_id",
)
def rejections_have_a_taxonomy_reason(q: QueryContext) -> str:
    """Every rejected or disqualified cycle carries a ``rejection_reason`` code from the
    taxonomy (the ``rejection_reasons`` seed); offenders are broken down by owner.

    Warning: a missing or unmapped reason is a sales-process gap (the rep skipped the picklist,
    or the org added a label the seed lacks), not contradictory data; marketing loses the
    feedback it needs, so it is reported by owner rather than failing the build.
    """
    return f"""
    select {", ".join(KEYS)}, owner_id, outcome, rejection_reason,
        case
            when outcome in ('rejected', 'disqualified')
                then coalesce(
                    rejection_reason in (
                        select reason_code from {q.relation(REJECTION_REASONS)}
                        where reason_code is not null
                    ),
                    false
                )
        end as holds
    from {q.relation(CYCLES)}
    """


@invariant(
    severity=Severity.WARNING,
    mart=CYCLES,
    keys=KEYS,
    evidence=("owner_id", "cycle_number", "sql_at", "bant_flags_count", "min_bant_flags"),
    reads=(_cycles("owner_id", "cycle_number", "sql_at", "bant_flags_count"),),
    settings=(SQL_MIN_BANT_FLAGS,),
    group_by="owner_id",
)
def sqls_have_discovery_evidence(q: QueryContext) -> str:
    """Every SQL has discovery evidence: at least ``sql_min_bant_flags`` (quality_settings
    seed) of the four BANT flags set. The flags are the lead's current values, so they
    speak for the lead's latest SQL cycle: there a NULL ``bant_flags_count`` (the CRM has no
    BANT fields, or none was filled in) counts as no evidence; an earlier SQL cycle without a
    count is not applicable.

    Warning: qualifying without discovery is a sales-process issue revenue leadership wants to
    see (by owner); the data itself is consistent, and a CRM export without BANT fields must
    still run to the end.
    """
    minimum = q.setting(SQL_MIN_BANT_FLAGS)
    return f"""
    select {", ".join(KEYS)}, owner_id, cycle_number, sql_at, bant_flags_count,
        {minimum} as min_bant_flags,
        case
            when sql_at is null then null
            when bant_flags_count is not null then bant_flags_count >= {minimum}
            when cycle_number = latest_sql_cycle_number then false
        end as holds
    from (
        select *,
            max(cycle_number) filter (where sql_at is not null) over (partition by lead_id)
                as latest_sql_cycle_number
        from {q.relation(CYCLES)}
    ) as cycles
    """


@invariant(
    severity=Severity.WARNING,
    mart=CYCLES,
    keys=KEYS,
    evidence=(
        "entry_lane",
        "channel",
        "score_at_mql",
        "fit_score_at_mql",
        "mql_threshold",
        "fit_gate",
    ),
    reads=(_cycles("entry_lane", "channel", "score_at_mql", "fit_score_at_mql"),),
    settings=(MQL_THRESHOLD, FIT_GATE),
    group_by="entry_lane",
)
def handoffs_meet_the_mql_definition(q: QueryContext) -> str:
    """Every handoff outside the fast lane meets the MQL definition at MQL time: ``score_at_mql``
    at or above ``mql_threshold`` and ``fit_score_at_mql`` at or above ``fit_gate``
    (scoring_settings seed). Applies to ``score`` and ``manual`` handoffs with a known score (a
    fast-lane hand raise is an MQL by definition, whatever its score); the unexpected percent is
    the share of those handoffs that miss the definition, broken down by entry lane.

    Warning: this is definition drift (the MAP's threshold and ours disagree, or people hand off
    leads that do not qualify), which revenue leadership wants to see, not a broken build.
    """
    threshold = q.setting(MQL_THRESHOLD)
    gate = q.setting(FIT_GATE)
    return f"""
    select {", ".join(KEYS)}, entry_lane, channel, score_at_mql, fit_score_at_mql,
        {threshold} as mql_threshold,
        {gate} as fit_gate,
        case
            when coalesce(entry_lane, '') <> 'fast_lane' and score_at_mql is not null
                then score_at_mql >= {threshold} and coalesce(fit_score_at_mql >= {gate}, true)
        end as holds
    from {q.relation(CYCLES)}
    """
