-- rule: cycle_numbers_run_from_one_without_gaps
-- severity: blocking
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- protects:
--   A lead's cycle numbers are 1..n without gaps or repeats: ordered by number, the k-th
--   cycle of a lead has ``cycle_number = k``.
--
--   Blocking: ``cycle_id`` and every "cycle 2 after a recycle" analysis rest on the numbering;
--   a gap or a repeat means a cycle was dropped or duplicated between the model and the mart.
select
    cycle_id,
    lead_id,
    cycle_number,
    expected_cycle_number,
    coalesce(cycle_number = expected_cycle_number, false) as holds
from (
    select
        cycle_id,
        lead_id,
        cycle_number,
        row_number() over (partition by lead_id order by cycle_number, cycle_id)
            as expected_cycle_number
    from {marts.fct_lead_cycles}
) as cycles
