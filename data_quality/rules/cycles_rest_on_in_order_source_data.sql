-- rule: cycles_rest_on_in_order_source_data
-- severity: warning
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   A cycle rests on source rows whose times are in order (``has_out_of_order_source`` is
--   false); every flagged cycle is counted, with whether its stage times run backwards.
--
--   Warning: these cycles are exempt from ``cycle_stage_times_never_go_backwards`` because the
--   CRM's own history was out of order (a status change dated before the lead's creation, an
--   opportunity created before the stages that lead to it); the rows are kept and flagged as the
--   contract requires, and the count tells the CRM admins how much history to clean up.
select
    cycle_id,
    lead_id,
    owner_id,
    has_out_of_order_source,
    {fragment.stage_times_in_order} as stage_times_in_order,
    mql_at,
    sales_decision_at,
    sal_at,
    sql_at,
    opportunity_created_at,
    won_at,
    lost_at,
    not coalesce(has_out_of_order_source, false) as holds
from {marts.fct_lead_cycles}
