{#-
    The daily time spine MetricFlow requires (declared with `time_spine:` in
    _semantic__models.yml): one row per day, 2015 through 2035, plus the month.
-#}
{{ config(materialized='table', schema='marts') }}

with

days as (

    select cast(day_at as date) as date_day
    from {{ series("cast('2015-01-01' as date)", "cast('2035-12-31' as date)", 'interval 1 day') }} as spine (day_at)

),

final as (

    select
        date_day,
        {{ funnel_month('date_day') }} as date_month
    from days

)

select * from final
