{#-
    Cycle segmentation. Walking a lead's events in order, a cycle is open after an
    opener until the next closer:

    * an opener (MQL status or fast-lane hand raise) opens a cycle only while no
      cycle is open; an MQL inside an open cycle changes nothing;
    * the first closer (rejected, recycled, disqualified, won, lost) closes it;
    * a re-MQL after a close opens the next cycle.

    So the state before an event is the role of the latest non-neutral event before
    it. cycle_number counts the cycle starts so far (0 = before the first handoff);
    is_in_cycle marks the events from a cycle's start through its closer.

    Incremental by lead (macros/funnel/lead_incremental.sql): a run rebuilds the leads
    whose handoff events changed.
-#}
{{ lead_chain_config(live_leads_model='int_lead_handoff_events') }}
{%- set incremental = lead_chain_is_incremental() %}

with

all_events as (

    select * from {{ ref('int_lead_handoff_events') }}

),

lead_digests as (

    select
        lead_id,
        {{ row_digest(['any_value(lead_digest)', code_digest()]) }} as lead_digest
    from all_events
    group by lead_id

),

{{ leads_to_rebuild('lead_digests', incremental) }}

events as (

    select {{ star_except(ref('int_lead_handoff_events'), ['lead_digest']) }}
    from all_events
    {{- only_leads_to_rebuild(incremental) }}

),

with_previous_state as (

    select
        *,
        {{ last_value_ignoring_nulls("case when event_role <> 'neutral' then event_role end") }} over (
            partition by lead_id
            order by event_sequence
            rows between unbounded preceding and 1 preceding
        ) as state_before
    from events

),

flagged as (

    select
        *,
        event_role = 'opener' and coalesce(state_before, 'closer') = 'closer' as is_cycle_start,
        event_role = 'closer' and coalesce(state_before = 'opener', false) as is_cycle_close
    from with_previous_state

),

numbered as (

    select
        *,
        sum(case when is_cycle_start then 1 else 0 end) over (
            partition by lead_id
            order by event_sequence
            rows between unbounded preceding and current row
        ) as cycle_number,
        is_cycle_start or coalesce(state_before = 'opener', false) as is_in_cycle
    from flagged

),

final as (

    select
        numbered.*,
        lead_digests.lead_digest
    from numbered
    inner join lead_digests
        on numbered.lead_id = lead_digests.lead_id

)

select * from final
