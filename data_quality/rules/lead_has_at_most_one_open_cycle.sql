-- rule: lead_has_at_most_one_open_cycle
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   A lead has at most one open cycle (``outcome = 'open'``); every open cycle of a lead with
--   two or more is an offending row.
--
--   Blocking: a cycle opens only while none is open (an MQL inside an open cycle opens nothing),
--   so two open cycles mean the segmentation lost a close or opened a cycle twice.
select
    cycle_id,
    lead_id,
    cycle_number,
    outcome,
    open_cycles_of_lead,
    case when outcome = 'open' then open_cycles_of_lead <= 1 end as holds
from (
    select
        cycle_id,
        lead_id,
        cycle_number,
        outcome,
        sum(case when outcome = 'open' then 1 else 0 end) over (partition by lead_id)
            as open_cycles_of_lead
    from {marts.fct_lead_cycles}
) as cycles
