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

    Incremental by lead bucket (macros/incremental/bucketed_incremental.sql): a run
    rebuilds the buckets whose handoff events changed.
-#}
{{ bucketed_incremental('lead_id') }}

with

{{ bucket_digests('lead_id') }}

events as (

    select
        lead_id,
        event_id,
        event_kind,
        event_at,
        stage,
        status,
        changed_by_user_id,
        is_integration_change,
        is_out_of_order_source,
        event_role,
        event_sequence
    from {{ ref('int_lead_handoff_events') }}
    {{- in_rebuilt_buckets('lead_id') }}

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

)

{{ select_with_bucket_digest('numbered', 'lead_id') }}
