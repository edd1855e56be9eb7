{#-
    Canonical: A person's progression change in a program (webinar Registered, Attended,
    ...).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_program_status_changes as (

    select
        activity_id,
        marketo_lead_id,
        original_marketo_lead_id,
        activity_at,
        activity_type_id,
        campaign_id,
        primary_attribute_value_id,
        primary_attribute_value,
        old_status,
        new_status,
        new_status_key,
        is_success,
        reason,
        synced_at
    from {{ ref('stg_marketo__activity_change_status_in_progression') }}

),

unioned as (

    select * from marketo_program_status_changes

)

select * from unioned
