{#-
    Speed to lead (contract section 3b): one row per cohort month (of mql_at) x
    channel x entry lane x response bucket, where a cycle's bucket is the wall-clock
    time from mql_at to the first completed sales task on the lead
    (int_cycle_first_sales_touches). Buckets and their inclusive upper bounds come
    from seed speed_to_lead_buckets: a cycle falls in the bucket with the smallest
    bucket_order whose max_minutes it does not exceed; past every bound it is the
    bucket without a bound (`later`); without a task yet, `no_touch_yet`.
    Only combinations with cycles have a row.
-#}
with

cycles as (

    select * from {{ ref('fct_lead_cycles') }}

),

first_touches as (

    select * from {{ ref('int_cycle_first_sales_touches') }}

),

buckets as (

    select
        response_bucket,
        cast(bucket_order as integer) as bucket_order,
        max_minutes
    from {{ ref('speed_to_lead_buckets') }}

),

timed as (

    select
        cycles.cycle_id,
        {{ funnel_month('cycles.mql_at') }} as cohort_month,
        cycles.channel,
        cycles.entry_lane,
        cycles.sales_decision,
        cycles.sql_at,
        cycles.outcome,
        first_touches.minutes_to_first_sales_touch
    from cycles
    left join first_touches
        on cycles.cycle_id = first_touches.cycle_id

),

bucket_orders as (

    select
        timed.cycle_id,
        min(buckets.bucket_order) as bucket_order
    from timed
    inner join buckets
        on (
            timed.minutes_to_first_sales_touch is not null
            and buckets.response_bucket <> 'no_touch_yet'
            and (buckets.max_minutes is null or timed.minutes_to_first_sales_touch <= buckets.max_minutes)
        )
        or (timed.minutes_to_first_sales_touch is null and buckets.response_bucket = 'no_touch_yet')
    group by timed.cycle_id

),

bucketed as (

    select
        timed.*,
        buckets.response_bucket,
        buckets.bucket_order
    from timed
    inner join bucket_orders
        on timed.cycle_id = bucket_orders.cycle_id
    inner join buckets
        on bucket_orders.bucket_order = buckets.bucket_order

),

final as (

    select
        cohort_month,
        channel,
        entry_lane,
        response_bucket,
        bucket_order,
        count(*) as cycles,
        sum(case when sales_decision = 'accepted' then 1 else 0 end) as accepted,
        count(sql_at) as sqls,
        {{ funnel_ratio('count(sql_at)', 'count(*)') }} as sql_rate,
        sum(case when outcome = 'won' then 1 else 0 end) as won,
        {{ rounded('median(minutes_to_first_sales_touch)', 2) }} as median_minutes_to_first_sales_touch
    from bucketed
    group by cohort_month, channel, entry_lane, response_bucket, bucket_order

)

select * from final
