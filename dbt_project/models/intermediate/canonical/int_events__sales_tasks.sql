{#-
    Canonical: Every live sales task (call, email, ...), completed or not, one row per
    task_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_tasks as (

    select
        task_id,
        who_id,
        what_id,
        account_id,
        owner_id,
        task_type,
        task_subtype,
        subject,
        task_status,
        is_completed,
        activity_date,
        completed_at,
        created_at,
        call_disposition,
        synced_at
    from {{ ref('stg_salesforce__task') }}

),

unioned as (

    select * from salesforce_tasks

)

select * from unioned
