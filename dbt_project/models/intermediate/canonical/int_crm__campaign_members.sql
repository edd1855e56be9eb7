{#-
    Canonical: Every live campaign membership (responded or not), one row per
    campaign_member_id.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_campaign_members as (

    select
        campaign_member_id,
        campaign_id,
        lead_id,
        contact_id,
        member_status,
        has_responded,
        first_responded_date,
        created_at,
        synced_at
    from {{ ref('stg_salesforce__campaign_member') }}

),

unioned as (

    select * from salesforce_campaign_members

)

select * from unioned
