{#-
    One row per cohort month x channel x lead_source (contract section 3): the MQL
    cohort (month of mql_at, UTC) and what became of it, with campaign spend.

    Counts count cycles. Rates are fractions, null on a zero denominator;
    opportunity_to_won_rate is won over closed opportunities (won + lost), so an
    open deal neither helps nor hurts a young cohort.

    Spend is per month x channel (campaigns have no lead source). It is attributed
    to the channel's lead_source rows of that cohort month in proportion to their
    MQLs, so every row of a month x channel has the same cost per MQL and
    sum(spend) per month x channel is the spread campaign cost. A month x channel
    with spend and no MQL keeps one row (lead_source null, is_spend_only_row, all
    counts 0, rates and costs null): the cost is real.
-#}
with

cycles as (

    select * from {{ ref('fct_lead_cycles') }}

),

channel_spend as (

    select * from {{ ref('int_channel_spend_monthly') }}

),

rejection_decisions as (

    -- the decisions whose stage carries a rejection reason (seed stages)
    select distinct sales_decision as rejection_decision
    from {{ ref('stages') }}
    where carries_rejection_reason

),

cohort_cycles as (

    select
        {{ funnel_month('cycles.mql_at') }} as cohort_month,
        cycles.channel,
        cycles.lead_source,
        cycles.entry_lane,
        cycles.sales_decision,
        rejection_decisions.rejection_decision is not null as is_handoff_rejection,
        cycles.outcome,
        cycles.sql_at,
        cycles.opportunity_id,
        cycles.amount,
        case
            when cycles.sales_decision_at is not null
                then {{ funnel_hours_between('cycles.mql_at', 'cycles.sales_decision_at') }}
        end as hours_mql_to_decision,
        case
            when cycles.sql_at is not null then {{ funnel_days_between('cycles.mql_at', 'cycles.sql_at') }}
        end as days_mql_to_sql
    from cycles
    left join rejection_decisions
        on cycles.sales_decision = rejection_decisions.rejection_decision

),

cohorts as (

    select
        cohort_month,
        channel,
        lead_source,
        count(*) as mqls,
        count(*) filter (where entry_lane = 'fast_lane') as fast_lane_mqls,
        count(*) filter (where sales_decision = 'accepted') as sals,
        count(*) filter (where outcome = 'rejected') as rejected,
        count(*) filter (where outcome = 'recycled') as recycled,
        count(*) filter (where outcome = 'disqualified') as disqualified,
        count(sql_at) as sqls,
        count(opportunity_id) as opportunities,
        count(*) filter (where outcome = 'won') as won,
        count(*) filter (where outcome = 'lost') as lost,
        count(*) filter (where outcome = 'open') as open_cycles,
        count(sales_decision) as sales_decisions,
        count(*) filter (where is_handoff_rejection) as handoff_rejections,
        round(coalesce(sum(amount) filter (where opportunity_id is not null), 0), 2) as pipeline_amount,
        round(coalesce(sum(amount) filter (where outcome = 'won'), 0), 2) as won_amount,
        median(hours_mql_to_decision) as median_hours_mql_to_decision,
        median(days_mql_to_sql) as median_days_mql_to_sql
    from cohort_cycles
    group by cohort_month, channel, lead_source

),

channel_months as (

    select
        cohort_month,
        channel,
        sum(mqls) as channel_mqls
    from cohorts
    group by cohort_month, channel

),

cohort_rows as (

    select
        cohorts.*,
        coalesce(channel_spend.spend, 0) as channel_month_spend,
        coalesce(channel_spend.spend, 0) * cohorts.mqls / channel_months.channel_mqls as spend,
        false as is_spend_only_row
    from cohorts
    inner join channel_months
        on cohorts.cohort_month = channel_months.cohort_month
            and cohorts.channel = channel_months.channel
    left join channel_spend
        on cohorts.cohort_month = channel_spend.spend_month
            and cohorts.channel = channel_spend.channel

),

spend_only_rows as (

    select
        channel_spend.spend_month as cohort_month,
        channel_spend.channel,
        cast(null as string) as lead_source,
        0 as mqls,
        0 as fast_lane_mqls,
        0 as sals,
        0 as rejected,
        0 as recycled,
        0 as disqualified,
        0 as sqls,
        0 as opportunities,
        0 as won,
        0 as lost,
        0 as open_cycles,
        0 as sales_decisions,
        0 as handoff_rejections,
        0 as pipeline_amount,
        0 as won_amount,
        cast(null as double) as median_hours_mql_to_decision,
        cast(null as double) as median_days_mql_to_sql,
        channel_spend.spend as channel_month_spend,
        channel_spend.spend,
        true as is_spend_only_row
    from channel_spend
    left join channel_months
        on channel_spend.spend_month = channel_months.cohort_month
            and channel_spend.channel = channel_months.channel
    where channel_months.channel is null

),

unioned as (

    select * from cohort_rows
    union all
    select * from spend_only_rows

),

final as (

    select
        cohort_month,
        channel,
        lead_source,
        mqls,
        fast_lane_mqls,
        sals,
        rejected,
        recycled,
        disqualified,
        sqls,
        opportunities,
        won,
        lost,
        cast(pipeline_amount as double) as pipeline_amount,
        cast(won_amount as double) as won_amount,
        spend,
        {{ funnel_ratio('sals', 'mqls') }} as mql_to_sal_rate,
        {{ funnel_ratio('sqls', 'sals') }} as sal_to_sql_rate,
        {{ funnel_ratio('opportunities', 'sqls') }} as sql_to_opportunity_rate,
        {{ funnel_ratio('won', 'won + lost') }} as opportunity_to_won_rate,
        {{ funnel_ratio('spend', 'mqls') }} as cost_per_mql,
        {{ funnel_ratio('spend', 'sals') }} as cost_per_sal,
        {{ funnel_ratio('spend', 'sqls') }} as cost_per_sql,
        {{ funnel_ratio('spend', 'opportunities') }} as cost_per_opportunity,
        median_hours_mql_to_decision,
        median_days_mql_to_sql,
        {{ funnel_ratio('sqls', 'mqls') }} as mql_to_sql_rate,
        won + lost as closed_opportunities,
        open_cycles,
        sales_decisions,
        handoff_rejections,
        channel_month_spend,
        is_spend_only_row
    from unioned

)

select * from final
