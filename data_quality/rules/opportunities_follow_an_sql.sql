-- rule: opportunities_follow_an_sql
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   Every opportunity (and every won or lost outcome) follows an SQL: a cycle with an
--   opportunity, ``won_at`` or ``lost_at`` has ``sql_at`` (recorded or inferred).
--
--   Blocking: like SQLs without an acceptance, an opportunity without an SQL breaks the
--   monotone funnel (SQL >= opportunity) and means a skipped stage was lost instead of inferred.
select
    cycle_id,
    lead_id,
    opportunity_id,
    opportunity_created_at,
    won_at,
    lost_at,
    sql_at,
    case
        when
            opportunity_id is not null
            or opportunity_created_at is not null
            or won_at is not null
            or lost_at is not null
            then sql_at is not null
    end as holds
from {marts.fct_lead_cycles}
