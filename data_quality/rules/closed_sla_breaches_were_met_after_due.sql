-- rule: closed_sla_breaches_were_met_after_due
-- severity: blocking
-- mart: fct_sla_breaches
-- keys: breach_id, cycle_id
-- protects:
--   A closed breach was met late: its ``met_at`` is set and after ``due_at``; an
--   attempt-based one (``attempts_required`` set) was decided at the rejection (``met_at`` =
--   ``due_at``) with fewer attempts than required.
--
--   Blocking: "closed" means the meeting event came after the deadline (or, for attempts, that
--   too few came before it); a closed breach met on time (or never met) contradicts its own
--   status and would be counted against an owner wrongly.
select
    breach_id,
    cycle_id,
    sla,
    status,
    started_at,
    due_at,
    met_at,
    attempts_made,
    attempts_required,
    case
        when status = 'closed' and attempts_required is not null
            then coalesce(met_at = due_at and attempts_made < attempts_required, false)
        when status = 'closed' then coalesce(met_at > due_at, false)
    end as holds
from {marts.fct_sla_breaches}
