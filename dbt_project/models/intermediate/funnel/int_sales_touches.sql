{#-
    The sales touch: a completed sales task on a lead, at the time it was completed.
    The SLA clock (first touch, follow-up attempts) and speed to lead read these. It
    reads the canonical tasks (int_events__sales_tasks), where a second CRM adds its
    union all branch.
-#}
with

completed_tasks as (

    select
        task_id,
        who_id as lead_id,
        completed_at
    from {{ ref('int_events__sales_tasks') }}
    where is_completed

),

final as (

    select
        task_id,
        lead_id,
        completed_at
    from completed_tasks

)

select * from final
