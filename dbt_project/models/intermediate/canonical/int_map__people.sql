{#-
    Canonical: Every live marketing-automation person (not deleted, not merged away),
    with the CRM ids it names.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_people as (

    select
        marketo_lead_id,
        email,
        email_domain,
        is_email_valid,
        first_name,
        last_name,
        company,
        title,
        industry,
        number_of_employees,
        annual_revenue,
        country,
        lead_source,
        acquisition_program_id,
        sfdc_lead_id,
        sfdc_contact_id,
        sfdc_account_id,
        created_at,
        updated_at,
        is_unsubscribed,
        is_email_invalid,
        synced_at
    from {{ ref('stg_marketo__lead') }}

),

unioned as (

    select * from marketo_people

)

select * from unioned
