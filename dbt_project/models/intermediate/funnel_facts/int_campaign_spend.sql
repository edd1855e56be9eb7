{#-
    One row per staged campaign: its channel (campaign `type` through the channel
    seed, `other` when unmapped) and the days its `actual_cost` is spread over
    (contract section 3: evenly over the days from start_date to end_date, both
    included).

    Imperfect dates are kept and flagged, never dropped:
    * end before start: spread over the days between them (has_inverted_dates);
    * no end_date (a campaign still running): spread from start_date to the run's
      as-of date, or over its start day when it starts later (is_open_ended);
    * no start_date: spread over the end day alone;
    * neither date, or no actual_cost (not posted yet): no spend (spend_rule says why).
-#}
with

campaigns as (

    select * from {{ ref('int_crm__campaigns') }}

),

channels as (

    select
        value_key,
        channel
    from {{ ref('int_channel_mappings') }}
    where kind = 'campaign_type'

),

run_context as (

    select cast(as_of as date) as as_of_date
    from {{ ref('stg_lead_funnel__run_context') }}

),

windowed as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.campaign_type,
        coalesce(channels.channel, 'other') as channel,
        channels.channel is not null as is_channel_mapped,
        campaigns.campaign_status,
        campaigns.parent_campaign_id,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.budgeted_cost,
        campaigns.actual_cost,
        campaigns.start_date is not null
        and campaigns.end_date is not null
        and campaigns.end_date < campaigns.start_date as has_inverted_dates,
        campaigns.start_date is not null and campaigns.end_date is null as is_open_ended,
        case
            when campaigns.start_date is null then campaigns.end_date
            when campaigns.end_date is null then campaigns.start_date
            else least(campaigns.start_date, campaigns.end_date)
        end as spread_start_date,
        case
            when campaigns.start_date is null then campaigns.end_date
            when campaigns.end_date is null then greatest(campaigns.start_date, run_context.as_of_date)
            else greatest(campaigns.start_date, campaigns.end_date)
        end as spread_end_date
    from campaigns
    cross join run_context
    left join channels
        on campaigns.campaign_type_key = channels.value_key

),

spread as (

    select
        *,
        {{ dbt.datediff('spread_start_date', 'spread_end_date', 'day') }} + 1 as window_days
    from windowed

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        channel,
        is_channel_mapped,
        campaign_status,
        parent_campaign_id,
        start_date,
        end_date,
        budgeted_cost,
        actual_cost,
        has_inverted_dates,
        is_open_ended,
        spread_start_date,
        spread_end_date,
        case
            when actual_cost is null then 'no_actual_cost'
            when spread_start_date is null then 'no_dates'
            else 'spread'
        end as spend_rule,
        case
            when actual_cost is not null and spread_start_date is not null then window_days
        end as spread_days,
        case
            when actual_cost is not null and spread_start_date is not null then actual_cost / window_days
        end as daily_cost
    from spread

)

select * from final
