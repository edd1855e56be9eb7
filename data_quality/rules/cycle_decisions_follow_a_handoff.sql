-- rule: cycle_decisions_follow_a_handoff
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   Every sales decision (an acceptance / SAL, a rejection, a recycle, a disqualification)
--   belongs to a cycle that has a handoff: its ``mql_at`` is set.
--
--   Blocking: a cycle opens at the handoff by definition, so a decision without one means the
--   segmentation attached an event to a cycle that never opened. (Whether the decision came
--   *after* the handoff is ``cycle_stage_times_never_go_backwards``.)
select
    cycle_id,
    lead_id,
    mql_at,
    sales_decision,
    sales_decision_at,
    sal_at,
    rejected_at,
    recycled_at,
    disqualified_at,
    case
        when
            sales_decision_at is not null
            or sal_at is not null
            or rejected_at is not null
            or recycled_at is not null
            or disqualified_at is not null
            or sales_decision is not null
            then mql_at is not null
    end as holds
from {marts.fct_lead_cycles}
