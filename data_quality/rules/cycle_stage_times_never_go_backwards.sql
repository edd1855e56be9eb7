-- rule: cycle_stage_times_never_go_backwards
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   Within a cycle, stage times never go backwards: mql_at <= sales_decision_at <= sql_at
--   <= opportunity_created_at <= won_at / lost_at (and a rejection, recycle or
--   disqualification comes after the handoff and the decision).
--
--   Blocking: our segmentation orders the events of a cycle, so a cycle whose times run
--   backwards means our logic went wrong. Cycles flagged ``has_out_of_order_source`` are exempt
--   (not applicable here): their source history was already out of order, which is the CRM's
--   problem, not ours; ``cycles_rest_on_in_order_source_data`` counts them as a warning.
select
    cycle_id,
    lead_id,
    mql_at,
    sales_decision_at,
    sal_at,
    sql_at,
    opportunity_created_at,
    won_at,
    lost_at,
    rejected_at,
    recycled_at,
    disqualified_at,
    case
        when coalesce(has_out_of_order_source, false) then null
        else {fragment.stage_times_in_order}
    end as holds
from {marts.fct_lead_cycles}
