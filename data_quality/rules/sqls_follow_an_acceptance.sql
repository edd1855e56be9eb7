-- rule: sqls_follow_an_acceptance
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   Every SQL follows an acceptance: a cycle with ``sql_at`` has ``sales_decision =
--   'accepted'`` and a ``sal_at`` (recorded, or inferred at the SQL when sales skipped the
--   SAL status, contract section 2).
--
--   Blocking: skipped stages are inferred, never lost, so an SQL without an acceptance breaks
--   the funnel's monotone counts (SAL >= SQL) and means our inference went wrong.
select
    cycle_id,
    lead_id,
    sql_at,
    sales_decision,
    sal_at,
    case
        when sql_at is not null
            then coalesce(sales_decision = 'accepted' and sal_at is not null, false)
    end as holds
from {marts.fct_lead_cycles}
