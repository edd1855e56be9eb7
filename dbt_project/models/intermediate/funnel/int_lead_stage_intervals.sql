{#-
    Every stage a live lead passed through, one row per interval (contract section 3;
    fct_lead_stage_history publishes it). Consecutive events at the same stage are one
    interval; valid_to is the start of the next interval (null while current). Stages
    a cycle skipped are inferred at the time of the later stage as zero-length
    intervals (is_inferred), so the history and the cycle counts agree. cycle_number
    is the lead's latest cycle at valid_from (0 before its first handoff).

    Incremental by lead (macros/funnel/lead_incremental.sql): a run rebuilds the leads
    whose cycle events or cycles changed.
-#}
{{ lead_chain_config(live_leads_model='int_lead_cycle_events') }}
{%- set incremental = lead_chain_is_incremental() %}

with

all_cycle_events as (

    select * from {{ ref('int_lead_cycle_events') }}

),

all_cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

cycle_digests as (

    select
        lead_id,
        {{ set_digest(['cycle_id', 'cycle_number', 'sal_at', 'is_sal_inferred', 'sql_at', 'is_sql_inferred']) }}
            as cycle_digest
    from all_cycles
    group by lead_id

),

lead_digests as (

    select
        events.lead_id,
        {{ row_digest([
            'any_value(events.lead_digest)',
            'coalesce(any_value(cycle_digests.cycle_digest), 0)',
            code_digest(),
        ]) }} as lead_digest
    from all_cycle_events as events
    left join cycle_digests
        on events.lead_id = cycle_digests.lead_id
    group by events.lead_id

),

{{ leads_to_rebuild('lead_digests', incremental) }}

events as (

    select
        lead_id,
        event_at,
        stage,
        cycle_number,
        event_kind = 'initial_status' as is_initial,
        false as is_inferred,
        event_id
    from all_cycle_events
    -- a fast-lane form fill is a stage change only when it opens a cycle: a lead
    -- already in a cycle keeps the CRM status it has
    where (event_kind <> 'hand_raise' or is_cycle_start)
    {{- only_leads_to_rebuild(incremental, 'and') }}

),

cycles as (

    select *
    from all_cycles
    {{- only_leads_to_rebuild(incremental) }}

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
        *,
        row_number() over (
            partition by lead_id
            order by not is_initial, event_at, {{ stage_order('stage') }}, event_id
        ) as event_order
    from all_stage_events

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

),

digested as (

    select
        final.*,
        lead_digests.lead_digest
    from final
    inner join lead_digests
        on final.lead_id = lead_digests.lead_id

)

select * from digested
