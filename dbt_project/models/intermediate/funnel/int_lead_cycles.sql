{#-
    One row per handoff cycle (contract section 2), from the segmented events.

    * mql_at: the opener; entry_lane fast_lane (hand raise), score (MQL status set
      by the integration user) or manual (by a person).
    * The sales decision is the first event after mql_at at a stage that implies
      one (seed stages, sales_decision: sal, rejected, recycled, disqualified). A
      cycle that reaches a stage whose acceptance is inferred (is_inferred_decision:
      sql, opportunity, won, lost) before any decision was accepted without a
      record: sal_at is inferred at that event (is_sal_inferred). Likewise sql_at is
      inferred at the first event at a stage that reaches_opportunity when no SQL
      was recorded (is_sql_inferred). So counts stay monotone and every skip stays
      visible.
    * outcome: the closer's stage, or open. rejection_reason: the value of
      Rejection_Reason__c when the cycle closed at a stage that carries a
      rejection reason (seed stages: rejected, disqualified; its
      last change up to an hour after the close and before the next cycle opened;
      without any history, the lead's current value for its last such cycle),
      mapped to the seed's code (`unmapped` when the seed lacks the label).
    * has_out_of_order_source: the cycle rests on source rows that were out of
      order (a status row before the lead's creation or breaking the status chain,
      an opportunity created before the stages that lead to it, closed before it
      was created). Kept and flagged, never reordered.
-#}
with

stages as (

    select * from {{ ref('stages') }}

),

cycle_events as (

    select
        events.*,
        stages.sales_decision as stage_sales_decision,
        stages.is_inferred_decision as is_stage_decision_inferred,
        stages.reaches_opportunity as is_opportunity_stage,
        stages.carries_rejection_reason as stage_carries_rejection_reason
    from {{ ref('int_lead_cycle_events') }} as events
    left join stages
        on events.stage = stages.stage
    where events.is_in_cycle and events.cycle_number > 0

),

pre_funnel_disorder as (

    -- an out-of-order row before the first handoff (e.g. a deal won before the first
    -- contact) belongs to no cycle: it flags the lead's first cycle
    select lead_id
    from {{ ref('int_lead_cycle_events') }}
    where cycle_number = 0 and is_out_of_order_source
    group by lead_id

),

leads as (

    select * from {{ ref('int_lead_attributes') }}

),

opportunities as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

reason_changes as (

    select
        history.lead_id,
        history.changed_at,
        history.rejection_reason as rejection_reason_label
    from {{ ref('int_events__rejection_reason_changes') }} as history

),

reason_codes as (

    select
        {{ picklist_key('reason_label') }} as reason_key,
        reason_code
    from {{ ref('rejection_reasons') }}

),

aggregated as (

    select
        lead_id,
        cycle_number,
        min(event_at) filter (where is_cycle_start) as mql_at,
        {{ arg_min_of('event_kind', 'event_sequence') }} filter (where is_cycle_start) as opener_kind,
        bool_or(is_integration_change) filter (where is_cycle_start) as opened_by_integration,
        {{ arg_min_of('stage_sales_decision', 'event_sequence') }} filter (
            where not is_cycle_start and stage_sales_decision is not null
        ) as first_decision,
        {{ arg_min_of('is_stage_decision_inferred', 'event_sequence') }} filter (
            where not is_cycle_start and stage_sales_decision is not null
        ) as is_first_decision_inferred,
        {{ arg_min_of('event_at', 'event_sequence') }} filter (
            where not is_cycle_start and stage_sales_decision is not null
        ) as first_decision_at,
        {{ arg_min_of('event_at', 'event_sequence') }} filter (where stage = 'sql') as recorded_sql_at,
        {{ arg_min_of('event_at', 'event_sequence') }} filter (where is_opportunity_stage) as first_opportunity_stage_at,
        bool_or(coalesce(is_opportunity_stage, false)) as reached_opportunity,
        max(event_at) filter (where is_cycle_close) as closed_at,
        max(stage) filter (where is_cycle_close) as closing_stage,
        bool_or(stage_carries_rejection_reason) filter (where is_cycle_close) as closes_with_rejection_reason,
        bool_or(is_opportunity_stage) filter (where is_cycle_close) as closes_at_opportunity,
        bool_or(is_out_of_order_source) as has_out_of_order_event
    from cycle_events
    group by lead_id, cycle_number

),

with_next_cycle as (

    select
        *,
        lead(mql_at) over (partition by lead_id order by cycle_number) as next_mql_at,
        max(cycle_number) over (partition by lead_id) as latest_cycle_number,
        max(case when closes_with_rejection_reason then cycle_number end)
            over (partition by lead_id) as latest_rejected_cycle_number,
        max(case when recorded_sql_at is not null or first_opportunity_stage_at is not null then cycle_number end)
            over (partition by lead_id) as latest_sql_cycle_number
    from aggregated

),

decided as (

    select
        *,
        first_decision as sales_decision,
        coalesce(is_first_decision_inferred, false) as is_sal_inferred,
        coalesce(recorded_sql_at, first_opportunity_stage_at) as sql_at,
        recorded_sql_at is null and first_opportunity_stage_at is not null as is_sql_inferred,
        case
            when closes_with_rejection_reason
                then least(closed_at + interval 1 hour, coalesce(next_mql_at, closed_at + interval 1 hour))
        end as reason_lookup_at
    from with_next_cycle

),

with_reason as (

    {{ asof_left_join(
        'decided', 'reason_changes', keys=['lead_id'], left_time='reason_lookup_at',
        right_time='changed_at', columns={'reason_label_from_history': 'rejection_reason_label'}) }}

),

leads_with_reason_history as (

    select distinct lead_id from reason_changes

),

labelled as (

    select
        with_reason.*,
        case
            when not with_reason.closes_with_rejection_reason then null
            when leads_with_reason_history.lead_id is not null then with_reason.reason_label_from_history
            when with_reason.cycle_number = with_reason.latest_rejected_cycle_number
                then leads.current_rejection_reason
        end as rejection_reason_label
    from with_reason
    inner join leads
        on with_reason.lead_id = leads.lead_id
    left join leads_with_reason_history
        on with_reason.lead_id = leads_with_reason_history.lead_id

),

final as (

    select
        labelled.lead_id || '-' || cast(labelled.cycle_number as string) as cycle_id,
        labelled.lead_id,
        labelled.cycle_number,
        case
            when labelled.opener_kind = 'hand_raise' then 'fast_lane'
            when labelled.opened_by_integration then 'score'
            else 'manual'
        end as entry_lane,
        leads.channel,
        leads.lead_source,
        leads.owner_id,
        labelled.mql_at,
        cast(date_trunc('month', labelled.mql_at) as date) as cohort_month,
        labelled.first_decision_at as sales_decision_at,
        labelled.sales_decision,
        case when labelled.sales_decision = 'accepted' then labelled.first_decision_at end as sal_at,
        labelled.is_sal_inferred,
        case when labelled.closing_stage = 'rejected' then labelled.closed_at end as rejected_at,
        case
            when not labelled.closes_with_rejection_reason then null
            when labelled.rejection_reason_label is null then null
            else coalesce(reason_codes.reason_code, 'unmapped')
        end as rejection_reason,
        labelled.rejection_reason_label,
        case when labelled.closing_stage = 'recycled' then labelled.closed_at end as recycled_at,
        case when labelled.closing_stage = 'disqualified' then labelled.closed_at end as disqualified_at,
        labelled.sql_at,
        labelled.is_sql_inferred,
        case when labelled.reached_opportunity then leads.converted_opportunity_id end as opportunity_id,
        case when labelled.reached_opportunity then opportunities.created_at end as opportunity_created_at,
        case when labelled.closing_stage = 'won' then labelled.closed_at end as won_at,
        case when labelled.closing_stage = 'lost' then labelled.closed_at end as lost_at,
        case when labelled.reached_opportunity then opportunities.amount end as amount,
        coalesce(labelled.closing_stage, 'open') as outcome,
        labelled.closed_at,
        case
            when labelled.cycle_number = labelled.latest_sql_cycle_number
                and coalesce(
                    leads.has_bant_budget, leads.has_bant_authority, leads.has_bant_need, leads.has_bant_timeline
                ) is not null
                then (
                    cast(coalesce(leads.has_bant_budget, false) as integer)
                    + cast(coalesce(leads.has_bant_authority, false) as integer)
                    + cast(coalesce(leads.has_bant_need, false) as integer)
                    + cast(coalesce(leads.has_bant_timeline, false) as integer)
                )
        end as bant_flags_count,
        labelled.cycle_number = labelled.latest_cycle_number as is_current_cycle,
        labelled.has_out_of_order_event
        or (labelled.cycle_number = 1 and pre_funnel_disorder.lead_id is not null)
        or coalesce(
            labelled.reached_opportunity
            and opportunities.created_at < coalesce(labelled.sql_at, labelled.first_decision_at, labelled.mql_at),
            false
        )
        or coalesce(labelled.reached_opportunity and opportunities.is_closed_before_created, false)
        or coalesce(
            labelled.closes_at_opportunity
            and labelled.closed_at < opportunities.created_at,
            false
        ) as has_out_of_order_source
    from labelled
    inner join leads
        on labelled.lead_id = leads.lead_id
    left join opportunities
        on leads.converted_opportunity_id = opportunities.opportunity_id
    left join pre_funnel_disorder
        on labelled.lead_id = pre_funnel_disorder.lead_id
    left join reason_codes
        on lower(labelled.rejection_reason_label) = reason_codes.reason_key

)

select * from final
