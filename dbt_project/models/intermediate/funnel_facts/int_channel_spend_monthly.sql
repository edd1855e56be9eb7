{#-
    Campaign spend per calendar month and channel (contract section 3: actual_cost
    spread evenly over the campaign's days, summed per month and channel).
-#}
with

campaign_months as (

    select * from {{ ref('int_campaign_spend_monthly') }}

),

final as (

    select
        spend_month,
        channel,
        {{ rounded_sum('spend', 2) }} as spend,
        count(distinct campaign_id) as campaigns
    from campaign_months
    group by spend_month, channel

)

select * from final
