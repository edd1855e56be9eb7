{#-
    Canonical: Merged-away marketing person -> the person that finally survives (chains
    resolved).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_person_merges as (

    select
        losing_marketo_lead_id,
        winning_marketo_lead_id,
        merged_at,
        merge_hops
    from {{ ref('stg_marketo__lead_merge_map') }}

),

unioned as (

    select * from marketo_person_merges

)

select * from unioned
