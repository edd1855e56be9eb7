{#-
    Canonical: A person's membership of a program as it stands, one row per person and
    program.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_program_memberships as (

    select
        marketo_lead_id,
        original_marketo_lead_id,
        program_id,
        progression_status,
        progression_status_key,
        membership_at,
        reached_success,
        attended_minutes,
        synced_at
    from {{ ref('stg_marketo__program_membership') }}

),

unioned as (

    select * from marketo_program_memberships

)

select * from unioned
