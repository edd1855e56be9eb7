-- rule: funnel_stage_counts_never_increase
-- severity: blocking
-- mart: fct_funnel_by_source
-- keys: cohort_month, channel, lead_source
-- protects:
--   Per cohort and channel (each funnel row): mqls >= sals >= sqls >= opportunities >= won,
--   and opportunities >= won + lost (a NULL count reads as 0).
--
--   Blocking: the counts count cycles, every stage is reached only through the one before it
--   (skipped stages are inferred at the later stage's time, a fast-lane cycle's mql_at is its
--   hand raise) and only an opportunity closes won or lost, so a later stage outnumbering an
--   earlier one is a contradiction in our data.
select
    cohort_month,
    channel,
    lead_source,
    mqls,
    sals,
    sqls,
    opportunities,
    won,
    lost,
    coalesce(mqls, 0) >= coalesce(sals, 0)
    and coalesce(sals, 0) >= coalesce(sqls, 0)
    and coalesce(sqls, 0) >= coalesce(opportunities, 0)
    and coalesce(opportunities, 0) >= coalesce(won, 0)
    and coalesce(opportunities, 0) >= coalesce(won, 0) + coalesce(lost, 0) as holds
from {marts.fct_funnel_by_source}
