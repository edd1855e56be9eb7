{#-
    Canonical: A form fill by a marketing person (form name in primary_attribute_value).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_form_fills as (

    select
        activity_id,
        marketo_lead_id,
        original_marketo_lead_id,
        activity_at,
        activity_type_id,
        campaign_id,
        primary_attribute_value_id,
        primary_attribute_value,
        webpage_id,
        form_fields,
        query_parameters,
        referrer_url,
        synced_at
    from {{ ref('stg_marketo__activity_fill_out_form') }}

),

unioned as (

    select * from marketo_form_fills

)

select * from unioned
