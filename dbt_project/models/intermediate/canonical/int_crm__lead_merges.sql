{#-
    Canonical: Merged-away CRM lead -> the lead that finally survives (chains resolved).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_lead_merges as (

    select
        losing_lead_id,
        winning_lead_id,
        merge_hops
    from {{ ref('stg_salesforce__lead_merge_map') }}

),

unioned as (

    select * from salesforce_lead_merges

)

select * from unioned
