{#-
    Canonical: Every live CRM lead (not deleted, not merged away), one row per lead_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_leads as (

    select
        lead_id,
        owner_id,
        created_at,
        last_modified_at,
        status,
        status_key,
        lead_source,
        lead_source_key,
        email,
        email_domain,
        is_email_valid,
        first_name,
        last_name,
        title,
        company,
        industry,
        number_of_employees,
        annual_revenue,
        country,
        is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        rejection_reason,
        rejection_reason_key,
        has_bant_budget,
        has_bant_authority,
        has_bant_need,
        has_bant_timeline,
        synced_at
    from {{ ref('stg_salesforce__lead') }}

),

unioned as (

    select * from salesforce_leads

)

select * from unioned
