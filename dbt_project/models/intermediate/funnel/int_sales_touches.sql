{#-
    The canonical sales touch (source-neutral): a completed sales task on a lead, at
    the time it was completed. The SLA clock (first touch, follow-up attempts) and
    speed to lead read these, never the CRM's task table. A second CRM adds its
    staging and a union here.
-#}
with

crm_tasks as (

    select
        task_id,
        who_id as lead_id,
        completed_at
    from {{ ref('stg_salesforce__task') }}
    where is_completed

),

final as (

    select
        task_id,
        lead_id,
        completed_at
    from crm_tasks

)

select * from final
