{#-
    One row per cycle: the first completed sales task on the lead at or after the
    cycle's mql_at (the same event that meets the first_touch SLA), and the
    wall-clock minutes from mql_at to it; null when no task has been completed yet
    (as of the run: staging quarantines tasks dated after the as-of).
-#}
with

cycles as (

    select
        cycle_id,
        lead_id,
        mql_at
    from {{ ref('int_lead_cycles') }}

),

completed_tasks as (

    select
        lead_id,
        completed_at
    from {{ ref('int_sales_touches') }}

),

first_tasks as (

    select
        cycles.cycle_id,
        min(completed_tasks.completed_at) as first_sales_touch_at
    from cycles
    inner join completed_tasks
        on cycles.lead_id = completed_tasks.lead_id
            and cycles.mql_at <= completed_tasks.completed_at
    group by cycles.cycle_id

),

final as (

    select
        cycles.cycle_id,
        first_tasks.first_sales_touch_at,
        {{ dbt.datediff('cycles.mql_at', 'first_tasks.first_sales_touch_at', 'second') }} / 60.0e0
            as minutes_to_first_sales_touch
    from cycles
    left join first_tasks
        on cycles.cycle_id = first_tasks.cycle_id

)

select * from final
