-- PLACEHOLDER (interface only): replaced by the scoring implementation.
select
    cycle_id,
    cast(null as double) as score_at_mql,
    cast(null as double) as fit_score_at_mql
from {{ ref('int_lead_cycles') }}
