{#-
    One ordered stream of everything that moves a live lead through the funnel:

      status          a Status change (or the initial status), mapped to a stage
      hand_raise      a fast-lane form fill (stage mql): opens a fast-lane cycle
      conversion      the lead's conversion to its opportunity, when no Converted
                      status change records it (stage opportunity)
      opportunity_close  the converted opportunity closing (stage won or lost)

    event_role: the stage's cycle_role in seed stages (opener, closer, neutral;
    neutral for a stage the seed lacks). Events are ordered by time as the source
    recorded them, the initial status first, same-instant events by the stage's
    funnel_order (seed stages); a hand
    raise and an MQL status change at the same instant put the hand raise first (the
    form fill is what made the MAP set the status), so the cycle is fast_lane.

    Incremental by lead bucket (macros/incremental/bucketed_incremental.sql): a run
    rebuilds the buckets whose status changes, hand raises, conversion or opportunity
    changed (the opportunity through int_lead_opportunity_outcomes, keyed by the lead
    converted to it: a changed opportunity rebuilds that lead's bucket only).
-#}
{{ bucketed_incremental('lead_id') }}

with

{{ bucket_digests('lead_id') }}

status_changes as (

    select * from {{ ref('int_lead_status_changes') }}
    {{- in_rebuilt_buckets('lead_id') }}

),

hand_raises as (

    select * from {{ ref('int_fast_lane_hand_raises') }}
    {{- in_rebuilt_buckets('lead_id') }}

),

converted_leads as (

    select * from {{ ref('int_lead_opportunity_outcomes') }}
    {{- in_rebuilt_buckets('lead_id') }}

),

stages as (

    select * from {{ ref('stages') }}

),

status_events as (

    select
        lead_id,
        status_change_id as event_id,
        case when change_source = 'initial' then 'initial_status' else 'status' end as event_kind,
        changed_at as event_at,
        stage,
        status,
        changed_by_user_id,
        is_integration_change,
        is_before_lead_creation or breaks_status_chain as is_out_of_order_source
    from status_changes

),

hand_raise_events as (

    select
        lead_id,
        hand_raise_id as event_id,
        'hand_raise' as event_kind,
        hand_raised_at as event_at,
        'mql' as stage,
        form_name as status,
        cast(null as string) as changed_by_user_id,
        false as is_integration_change,
        false as is_out_of_order_source
    from hand_raises

),

conversion_events as (

    select
        converted_leads.lead_id,
        'conversion:' || converted_leads.converted_opportunity_id as event_id,
        'conversion' as event_kind,
        coalesce(converted_leads.opportunity_created_at, cast(converted_leads.converted_date as timestamp))
            as event_at,
        'opportunity' as stage,
        cast(null as string) as status,
        cast(null as string) as changed_by_user_id,
        false as is_integration_change,
        false as is_out_of_order_source
    from converted_leads
    where not exists (
            select 1
            from status_changes
            where status_changes.lead_id = converted_leads.lead_id
                and status_changes.stage = 'opportunity'
        )

),

close_events as (

    select
        lead_id,
        'close:' || converted_opportunity_id as event_id,
        'opportunity_close' as event_kind,
        coalesce(won_at, lost_at) as event_at,
        case when won_at is not null then 'won' else 'lost' end as stage,
        cast(null as string) as status,
        cast(null as string) as changed_by_user_id,
        false as is_integration_change,
        false as is_out_of_order_source
    from converted_leads
    where coalesce(won_at, lost_at) is not null

),

all_events as (

    select * from status_events
    union all
    select * from hand_raise_events
    union all
    select * from conversion_events
    union all
    select * from close_events

),

sequenced as (

    select
        all_events.*,
        coalesce(stages.cycle_role, 'neutral') as event_role,
        row_number() over (
            partition by all_events.lead_id
            order by
                all_events.event_kind <> 'initial_status',
                all_events.event_at,
                stages.funnel_order,
                all_events.event_kind <> 'hand_raise',
                all_events.event_id
        ) as event_sequence
    from all_events
    left join stages
        on all_events.stage = stages.stage

)

{{ select_with_bucket_digest('sequenced', 'lead_id') }}
