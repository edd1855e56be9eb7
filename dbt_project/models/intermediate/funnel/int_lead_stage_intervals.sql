{#-
    Every stage a live lead passed through, one row per interval (contract section 3;
    fct_lead_stage_history publishes it). Consecutive events at the same stage are one
    interval; valid_to is the start of the next interval (null while current). Stages
    a cycle skipped are inferred at the time of the later stage as zero-length
    intervals (is_inferred), so the history and the cycle counts agree. cycle_number
    is the lead's latest cycle at valid_from (0 before its first handoff).

    Incremental by lead bucket (macros/incremental/bucketed_incremental.sql): a run
    rebuilds the buckets whose cycle events or cycles changed.
-#}
{{ bucketed_incremental('lead_id') }}

with

{{ bucket_digests('lead_id') }}

stages as (

    -- funnel_order breaks ties between same-instant events
    select * from {{ ref('stages') }}

),

events as (

    select
        lead_id,
        event_at,
        stage,
        cycle_number,
        event_kind = 'initial_status' as is_initial,
        false as is_inferred,
        event_id
    from {{ ref('int_lead_cycle_events') }}
    -- a fast-lane form fill is a stage change only when it opens a cycle: a lead
    -- already in a cycle keeps the CRM status it has
    where (event_kind <> 'hand_raise' or is_cycle_start)
    {{- in_rebuilt_buckets('lead_id', 'and') }}

),

cycles as (

    select * from {{ ref('int_lead_cycles') }}
    {{- in_rebuilt_buckets('lead_id') }}

),

inferred_stages as (

    select
        lead_id,
        sal_at as event_at,
        'sal' as stage,
        cycle_number,
        false as is_initial,
        true as is_inferred,
        'inferred_sal:' || cycle_id as event_id
    from cycles
    where is_sal_inferred

    union all

    select
        lead_id,
        sql_at as event_at,
        'sql' as stage,
        cycle_number,
        false as is_initial,
        true as is_inferred,
        'inferred_sql:' || cycle_id as event_id
    from cycles
    where is_sql_inferred

),

all_stage_events as (

    select * from events
    union all
    select * from inferred_stages

),

ordered as (

    select
        all_stage_events.*,
        row_number() over (
            partition by all_stage_events.lead_id
            order by
                not all_stage_events.is_initial,
                all_stage_events.event_at,
                stages.funnel_order,
                all_stage_events.event_id
        ) as event_order
    from all_stage_events
    left join stages
        on all_stage_events.stage = stages.stage

),

island_starts as (

    select
        *,
        coalesce(
            stage is distinct from lag(stage) over (partition by lead_id order by event_order)
            or is_inferred is distinct from lag(is_inferred) over (partition by lead_id order by event_order),
            true
        ) as starts_interval
    from ordered

),

intervals as (

    select
        *,
        lead(event_at) over (partition by lead_id order by event_order) as next_interval_from
    from island_starts
    where starts_interval

),

numbered as (

    select
        *,
        row_number() over (partition by lead_id order by event_order) as stage_sequence
    from intervals

),

final as (

    select
        lead_id,
        cycle_number,
        stage,
        case
            when is_initial then least(event_at, coalesce(next_interval_from, event_at))
            else event_at
        end as valid_from,
        next_interval_from as valid_to,
        next_interval_from is null as is_current,
        lead_id || '-' || cast(stage_sequence as string) as stage_interval_id,
        stage_sequence,
        is_inferred
    from numbered

)

{{ select_with_bucket_digest('final', 'lead_id') }}
