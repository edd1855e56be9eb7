{#-
    One row per campaign and calendar month its spend window touches: the days of
    the window in that month and their share of actual_cost
    (actual_cost x days in the month / days in the window), so a campaign from
    15 March to 14 April puts 17/31 of its cost in March and 14/31 in April, and
    a campaign's months always add up to its actual_cost.
-#}
with

campaigns as (

    select * from {{ ref('int_campaign_spend') }}
    where spend_rule = 'spread'

),

campaign_months as (

    select
        campaigns.*,
        cast(months.month_start as date) as spend_month
    from campaigns,
        lateral {{ series(
            "cast(" ~ dbt.date_trunc('month', 'campaigns.spread_start_date') ~ " as date)",
            "cast(" ~ dbt.date_trunc('month', 'campaigns.spread_end_date') ~ " as date)",
            'interval 1 month'
        ) }} as months (month_start)

),

month_bounds as (

    select
        campaign_id,
        channel,
        spend_month,
        actual_cost,
        spread_days,
        greatest(spread_start_date, spend_month) as overlap_start_date,
        least(
            spread_end_date,
            cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'spend_month')) }} as date)
        ) as overlap_end_date
    from campaign_months

),

month_overlaps as (

    select
        *,
        {{ dbt.datediff('overlap_start_date', 'overlap_end_date', 'day') }} + 1 as overlap_days
    from month_bounds

),

final as (

    select
        campaign_id,
        spend_month,
        channel,
        overlap_start_date,
        overlap_end_date,
        overlap_days as spend_days,
        spread_days,
        actual_cost * overlap_days / spread_days as spend
    from month_overlaps

)

select * from final
