-- rule: sla_breaches_are_due_after_they_start
-- severity: blocking
-- mart: fct_sla_breaches
-- keys: breach_id, cycle_id
-- protects:
--   Every breach is due after its clock starts: ``due_at > started_at`` (a breach without
--   either time offends: it could not have been judged late).
--
--   Blocking: ``due_at`` is the start plus N working hours (or, for attempt-based policies, the
--   later rejection), so a deadline at or before the start means the clock or its inputs are
--   wrong and every hours-late figure built on it is too.
select
    breach_id,
    cycle_id,
    sla,
    status,
    started_at,
    due_at,
    met_at,
    coalesce(due_at > started_at, false) as holds
from {marts.fct_sla_breaches}
