{#-
    Canonical: An open of a marketing email (email name in primary_attribute_value).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

marketo_email_opens as (

    select
        activity_id,
        marketo_lead_id,
        original_marketo_lead_id,
        activity_at,
        activity_type_id,
        campaign_id,
        primary_attribute_value_id,
        primary_attribute_value,
        email_template_id,
        device,
        is_mobile_device,
        synced_at
    from {{ ref('stg_marketo__activity_open_email') }}

),

unioned as (

    select * from marketo_email_opens

)

select * from unioned
