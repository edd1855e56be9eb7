{#-
    Canonical: A web page visit by a marketing person.
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_web_visits as (

    select
        activity_id,
        marketo_lead_id,
        original_marketo_lead_id,
        activity_at,
        activity_type_id,
        campaign_id,
        primary_attribute_value_id,
        primary_attribute_value,
        webpage_url,
        webpage_path,
        query_parameters,
        referrer_url,
        search_engine,
        search_query,
        client_ip_address,
        user_agent,
        synced_at
    from {{ ref('stg_marketo__activity_visit_webpage') }}

),

unioned as (

    select * from marketo_web_visits

)

select * from unioned
