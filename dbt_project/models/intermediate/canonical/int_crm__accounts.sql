{#-
    Canonical: Every live CRM account, one row per account_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_accounts as (

    select
        account_id,
        account_name,
        owner_id,
        industry,
        number_of_employees,
        annual_revenue,
        billing_country,
        account_type,
        account_type_key,
        website,
        website_domain,
        created_at,
        synced_at
    from {{ ref('stg_salesforce__account') }}

),

unioned as (

    select * from salesforce_accounts

)

select * from unioned
