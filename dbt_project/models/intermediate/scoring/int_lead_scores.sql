-- PLACEHOLDER (interface only): replaced by the scoring implementation.
select
    lead_id,
    cast(null as timestamp) as as_of,
    cast(null as double) as fit_score,
    cast(null as double) as engagement_score,
    cast(null as double) as intent_score,
    cast(null as double) as negative_score,
    cast(null as double) as total_score,
    cast(null as boolean) as is_fit_gate_passed,
    cast(null as boolean) as is_mql_eligible,
    cast(null as timestamp) as fast_lane_signal_at
from {{ ref('int_lead_attributes') }}
