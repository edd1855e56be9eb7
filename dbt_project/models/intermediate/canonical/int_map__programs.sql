{#-
    Canonical: Every live marketing program (webinar, nurture, ...), with the CRM
    campaign it is synced to.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_programs as (

    select
        program_id,
        program_name,
        program_type,
        program_channel,
        program_status,
        sfdc_campaign_id,
        created_at,
        updated_at,
        synced_at
    from {{ ref('stg_marketo__program') }}

),

unioned as (

    select * from marketo_programs

)

select * from unioned
