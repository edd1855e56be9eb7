{#-
    Canonical: Every live CRM campaign, one row per campaign_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_campaigns as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        campaign_type_key,
        campaign_status,
        start_date,
        end_date,
        budgeted_cost,
        actual_cost,
        parent_campaign_id,
        synced_at
    from {{ ref('stg_salesforce__campaign') }}

),

unioned as (

    select * from salesforce_campaigns

)

select * from unioned
