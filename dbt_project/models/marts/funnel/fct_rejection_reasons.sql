{#-
    Why sales turned handoffs down (contract section 3): one row per cohort month
    (of mql_at, UTC) x channel x rejection reason, counting cycles that closed as
    rejected or disqualified (both carry a reason from the taxonomy), with the
    reason's share of that month x channel's rejections and the marketing fix the
    seed gives for it.

    A rejection without a reason is kept as `unknown`, a label the seed lacks as
    `unmapped` (both with a fix from seeds/funnel_reason_gaps.csv), so the rows of
    a month x channel add up to its rejected + disqualified cycles.
-#}
with

cycles as (

    select * from {{ ref('fct_lead_cycles') }}

),

reasons as (

    select
        reason_code,
        category,
        marketing_fix
    from {{ ref('rejection_reasons') }}

    union all

    select
        reason_code,
        category,
        marketing_fix
    from {{ ref('funnel_reason_gaps') }}

),

rejection_stages as (

    -- the outcomes (closing stages) that carry a rejection reason (seed stages)
    select stage as rejection_outcome
    from {{ ref('stages') }}
    where carries_rejection_reason

),

cohort_cycles as (

    select
        {{ funnel_month('cycles.mql_at') }} as cohort_month,
        cycles.channel,
        cycles.outcome,
        cycles.sales_decision,
        rejection_stages.rejection_outcome is not null as is_rejection,
        coalesce(cycles.rejection_reason, 'unknown') as rejection_reason
    from cycles
    left join rejection_stages
        on cycles.outcome = rejection_stages.rejection_outcome

),

channel_months as (

    select
        cohort_month,
        channel,
        count(*) as mqls,
        count(*) filter (where is_rejection) as channel_rejections
    from cohort_cycles
    group by cohort_month, channel

),

by_reason as (

    select
        cohort_month,
        channel,
        rejection_reason,
        count(*) as rejections,
        count(*) filter (where outcome = 'rejected') as rejected,
        count(*) filter (where outcome = 'disqualified') as disqualified,
        count(*) filter (where sales_decision = 'accepted') as rejected_after_acceptance
    from cohort_cycles
    where is_rejection
    group by cohort_month, channel, rejection_reason

),

final as (

    select
        by_reason.cohort_month,
        by_reason.channel,
        by_reason.rejection_reason,
        by_reason.rejections,
        {{ funnel_ratio('by_reason.rejections', 'channel_months.channel_rejections') }} as share_of_rejections,
        reasons.marketing_fix,
        reasons.category as reason_category,
        by_reason.rejected,
        by_reason.disqualified,
        by_reason.rejected_after_acceptance,
        channel_months.mqls,
        {{ funnel_ratio('by_reason.rejections', 'channel_months.mqls') }} as share_of_mqls,
        rank() over (
            partition by by_reason.cohort_month, by_reason.channel
            order by by_reason.rejections desc
        ) as reason_rank
    from by_reason
    inner join channel_months
        on by_reason.cohort_month = channel_months.cohort_month
            and by_reason.channel = channel_months.channel
    left join reasons
        on by_reason.rejection_reason = reasons.reason_code

)

select * from final
