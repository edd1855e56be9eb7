{#-
    Canonical: A recorded change of a lead's status (the CRM's own status text), one row
    per change.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_status_changes as (

    select
        lead_history_id as status_change_id,
        lead_id,
        changed_at,
        changed_by_user_id,
        old_value as old_status,
        new_value as new_status
    from {{ ref('stg_salesforce__lead_history') }}
    where field_key = 'status'

),

unioned as (

    select * from salesforce_status_changes

)

select * from unioned
