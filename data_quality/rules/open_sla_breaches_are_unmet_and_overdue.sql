-- rule: open_sla_breaches_are_unmet_and_overdue
-- severity: blocking
-- mart: fct_sla_breaches
-- keys: breach_id, cycle_id
-- protects:
--   An open breach has no ``met_at`` and was due before the as-of time (the run's as-of
--   when the checks are given one, else the breach row's own ``as_of``).
--
--   Blocking: "open" means the event has not come and the deadline has passed as of the run;
--   an open breach with a met time, or not yet due, contradicts its status (and the as-of that
--   makes runs reproducible).
select
    breach_id,
    cycle_id,
    sla,
    status,
    started_at,
    due_at,
    met_at,
    checked_as_of,
    case
        when status = 'open' then coalesce(met_at is null and due_at < checked_as_of, false)
    end as holds
from (
    select
        breach_id,
        cycle_id,
        sla,
        status,
        started_at,
        due_at,
        met_at,
        coalesce({as_of}, cast(as_of as timestamp)) as checked_as_of
    from {marts.fct_sla_breaches}
) as breaches
