with

tasks as (

    select * from {{ ref('base_salesforce__task') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as task_id,
        who_id,
        what_id,
        account_id,
        owner_id,
        {{ clean_text('type') }} as task_type,
        {{ clean_text('task_subtype') }} as task_subtype,
        {{ clean_text('subject') }} as subject,
        {{ clean_text('status') }} as task_status,
        {{ picklist_key('status') }} = 'completed' and completed_date_time is not null as is_completed,
        activity_date,
        completed_date_time as completed_at,
        created_date as created_at,
        {{ clean_text('call_disposition') }} as call_disposition,
        _fivetran_synced as synced_at
    from tasks

)

select * from renamed
