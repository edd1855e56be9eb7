{#-
    Canonical: Every live CRM opportunity as it stands, one row per opportunity_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_opportunities as (

    select
        opportunity_id,
        account_id,
        owner_id,
        campaign_id,
        opportunity_name,
        stage_name,
        amount,
        probability,
        forecast_category,
        is_closed,
        is_won,
        close_date,
        created_at,
        lead_source,
        opportunity_type,
        synced_at
    from {{ ref('stg_salesforce__opportunity') }}

),

unioned as (

    select * from salesforce_opportunities

)

select * from unioned
