{#-
    The period (flow) view beside the cohort view: one row per calendar month (UTC)
    x channel, counting the stage entries that happened in that month whatever
    month the cycle was handed off in (what a monthly revenue review counts as
    in-flow), with that month's campaign spend and the cost per entry.

    Entry times: leads by created_at, MQLs by mql_at, SALs by sal_at, SQLs by
    sql_at, opportunities by opportunity_created_at (sql_at when the opportunity
    row is missing), rejected / recycled / disqualified / won / lost by the close.
    Over all months every count equals the cohort view's total.
-#}
with

cycles as (

    select * from {{ ref('fct_lead_cycles') }}

),

leads as (

    select * from {{ ref('dim_leads') }}

),

channel_spend as (

    select * from {{ ref('int_channel_spend_monthly') }}

),

{#- each cycle stage: (stage, the time it was entered, which cycles entered it, amount) -#}
{%- set cycle_stages = [
    ("case when entry_lane = 'fast_lane' then 'fast_lane_mql' else 'mql' end", "mql_at", "true", "0"),
    ("'sal'", "sal_at", "sales_decision = 'accepted'", "0"),
    ("'rejected'", "rejected_at", "outcome = 'rejected'", "0"),
    ("'recycled'", "recycled_at", "outcome = 'recycled'", "0"),
    ("'disqualified'", "disqualified_at", "outcome = 'disqualified'", "0"),
    ("'sql'", "sql_at", "sql_at is not null", "0"),
    ("'opportunity'", "coalesce(opportunity_created_at, sql_at)", "opportunity_id is not null", "amount"),
    ("'won'", "won_at", "outcome = 'won'", "amount"),
    ("'lost'", "lost_at", "outcome = 'lost'", "0"),
] %}

entries as (

    select
        channel,
        {{ funnel_month('created_at') }} as period_month,
        'lead' as stage,
        cast(0 as double) as amount
    from leads
    {%- for stage, entered_at, condition, amount in cycle_stages %}

        union all

        select
            channel,
            {{ funnel_month(entered_at) }} as period_month,
            {{ stage }} as stage,
            cast({{ amount }} as double) as amount
        from cycles
        where {{ condition }}
    {%- endfor %}

),

entry_counts as (

    select
        period_month,
        channel,
        count(*) filter (where stage = 'lead') as leads_created,
        count(*) filter (where stage in ('mql', 'fast_lane_mql')) as mqls,
        count(*) filter (where stage = 'fast_lane_mql') as fast_lane_mqls,
        count(*) filter (where stage = 'sal') as sals,
        count(*) filter (where stage = 'rejected') as rejected,
        count(*) filter (where stage = 'recycled') as recycled,
        count(*) filter (where stage = 'disqualified') as disqualified,
        count(*) filter (where stage = 'sql') as sqls,
        count(*) filter (where stage = 'opportunity') as opportunities,
        count(*) filter (where stage = 'won') as won,
        count(*) filter (where stage = 'lost') as lost,
        round(coalesce(sum(amount) filter (where stage = 'opportunity'), 0), 2) as pipeline_created_amount,
        round(coalesce(sum(amount) filter (where stage = 'won'), 0), 2) as won_amount
    from entries
    group by period_month, channel

),

final as (

    select
        coalesce(entry_counts.period_month, channel_spend.spend_month) as period_month,
        coalesce(entry_counts.channel, channel_spend.channel) as channel,
        coalesce(entry_counts.leads_created, 0) as leads_created,
        coalesce(entry_counts.mqls, 0) as mqls,
        coalesce(entry_counts.fast_lane_mqls, 0) as fast_lane_mqls,
        coalesce(entry_counts.sals, 0) as sals,
        coalesce(entry_counts.rejected, 0) as rejected,
        coalesce(entry_counts.recycled, 0) as recycled,
        coalesce(entry_counts.disqualified, 0) as disqualified,
        coalesce(entry_counts.sqls, 0) as sqls,
        coalesce(entry_counts.opportunities, 0) as opportunities,
        coalesce(entry_counts.won, 0) as won,
        coalesce(entry_counts.lost, 0) as lost,
        cast(coalesce(entry_counts.pipeline_created_amount, 0) as double) as pipeline_created_amount,
        cast(coalesce(entry_counts.won_amount, 0) as double) as won_amount,
        coalesce(channel_spend.spend, 0) as spend,
        {{ funnel_ratio('coalesce(channel_spend.spend, 0)', 'entry_counts.leads_created') }} as cost_per_lead,
        {{ funnel_ratio('coalesce(channel_spend.spend, 0)', 'entry_counts.mqls') }} as cost_per_mql,
        {{ funnel_ratio('coalesce(channel_spend.spend, 0)', 'entry_counts.sals') }} as cost_per_sal,
        {{ funnel_ratio('coalesce(channel_spend.spend, 0)', 'entry_counts.sqls') }} as cost_per_sql,
        {{ funnel_ratio('coalesce(channel_spend.spend, 0)', 'entry_counts.opportunities') }} as cost_per_opportunity
    from entry_counts
    full outer join channel_spend
        on entry_counts.period_month = channel_spend.spend_month
            and entry_counts.channel = channel_spend.channel

)

select * from final
