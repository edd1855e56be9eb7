{#-
    One ordered stream of everything that moves a live lead through the funnel:

      status          a Status change (or the initial status), mapped to a stage
      hand_raise      a fast-lane form fill (stage mql): opens a fast-lane cycle
      conversion      the lead's conversion to its opportunity, when no Converted
                      status change records it (stage opportunity)
      opportunity_close  the converted opportunity closing (stage won or lost)

    event_role: `opener` (stage mql), `closer` (rejected, recycled, disqualified,
    won, lost) or `neutral`. Events are ordered by time as the source recorded
    them, the initial status first, same-instant events by funnel order; a hand
    raise and an MQL status change at the same instant put the hand raise first (the
    form fill is what made the MAP set the status), so the cycle is fast_lane.

    Incremental by lead (macros/funnel/lead_incremental.sql): a run rebuilds the leads
    whose status changes, hand raises, conversion or opportunity changed.
-#}
{{ lead_chain_config(live_leads_model='int_lead_status_changes') }}
{%- set incremental = lead_chain_is_incremental() %}

with

all_status_changes as (

    select * from {{ ref('int_lead_status_changes') }}

),

all_hand_raises as (

    select * from {{ ref('int_fast_lane_hand_raises') }}

),

all_leads as (

    select
        lead_id,
        converted_opportunity_id,
        converted_date
    from {{ ref('stg_salesforce__lead') }}

),

opportunities as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

status_digests as (

    select
        lead_id,
        any_value(lead_digest) as status_digest
    from all_status_changes
    group by lead_id

),

hand_raise_digests as (

    select
        lead_id,
        {{ set_digest(['hand_raise_id', 'hand_raised_at', 'form_name']) }} as hand_raise_digest
    from all_hand_raises
    group by lead_id

),

lead_digests as (

    select
        status_digests.lead_id,
        {{ row_digest([
            'status_digests.status_digest',
            'coalesce(hand_raise_digests.hand_raise_digest, 0)',
            'all_leads.converted_opportunity_id',
            'all_leads.converted_date',
            'opportunities.created_at',
            'opportunities.won_at',
            'opportunities.lost_at',
            code_digest(),
        ]) }} as lead_digest
    from status_digests
    inner join all_leads
        on status_digests.lead_id = all_leads.lead_id
    left join hand_raise_digests
        on status_digests.lead_id = hand_raise_digests.lead_id
    left join opportunities
        on all_leads.converted_opportunity_id = opportunities.opportunity_id

),

{{ leads_to_rebuild('lead_digests', incremental) }}

status_changes as (

    select *
    from all_status_changes
    {{- only_leads_to_rebuild(incremental) }}

),

hand_raises as (

    select *
    from all_hand_raises
    {{- only_leads_to_rebuild(incremental) }}

),

leads as (

    select *
    from all_leads
    {{- only_leads_to_rebuild(incremental) }}

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

converted_leads as (

    select
        leads.lead_id,
        leads.converted_opportunity_id,
        leads.converted_date,
        opportunities.created_at as opportunity_created_at,
        opportunities.won_at,
        opportunities.lost_at
    from leads
    inner join opportunities
        on leads.converted_opportunity_id = opportunities.opportunity_id

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
        *,
        case
            when stage = 'mql' then 'opener'
            when stage in ('rejected', 'recycled', 'disqualified', 'won', 'lost') then 'closer'
            else 'neutral'
        end as event_role,
        row_number() over (
            partition by lead_id
            order by
                event_kind <> 'initial_status',
                event_at,
                {{ stage_order('stage') }},
                event_kind <> 'hand_raise',
                event_id
        ) as event_sequence
    from all_events

),

final as (

    select
        sequenced.*,
        lead_digests.lead_digest
    from sequenced
    inner join lead_digests
        on sequenced.lead_id = lead_digests.lead_id

)

select * from final
