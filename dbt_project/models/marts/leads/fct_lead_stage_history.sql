{#-
    Every stage a live lead passed through, one row per interval (contract section 3).
    The intervals are built, incrementally by lead, in int_lead_stage_intervals.
-#}
with

intervals as (

    select * from {{ ref('int_lead_stage_intervals') }}

),

final as (

    select
        lead_id,
        cycle_number,
        stage,
        valid_from,
        valid_to,
        is_current,
        stage_interval_id,
        stage_sequence,
        is_inferred
    from intervals

)

select * from final
