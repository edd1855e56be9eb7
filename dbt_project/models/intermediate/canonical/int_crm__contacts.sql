{#-
    Canonical: Every live CRM contact, one row per contact_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_contacts as (

    select
        contact_id,
        account_id,
        owner_id,
        email,
        email_domain,
        is_email_valid,
        first_name,
        last_name,
        title,
        department,
        lead_source,
        lead_source_key,
        created_at,
        synced_at
    from {{ ref('stg_salesforce__contact') }}

),

unioned as (

    select * from salesforce_contacts

)

select * from unioned
