{#-
    Canonical: A recorded change of a lead's rejection reason (the CRM's label), one row
    per change.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_rejection_reason_changes as (

    select
        lead_history_id as rejection_reason_change_id,
        lead_id,
        changed_at,
        new_value as rejection_reason
    from {{ ref('stg_salesforce__lead_history') }}
    where field_key = 'rejection_reason__c'

),

unioned as (

    select * from salesforce_rejection_reason_changes

)

select * from unioned
