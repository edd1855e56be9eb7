{#-
    Canonical: A recorded change of an opportunity's sales stage, one row per change.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_stage_changes as (

    select
        opportunity_field_history_id as opportunity_stage_change_id,
        opportunity_id,
        changed_at,
        changed_by_user_id,
        old_value as old_stage,
        new_value as new_stage
    from {{ ref('stg_salesforce__opportunity_field_history') }}
    where field_key = 'stagename'

),

unioned as (

    select * from salesforce_stage_changes

)

select * from unioned
