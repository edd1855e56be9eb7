{#-
    The columns every Marketo activity table shares, renamed. Activities of a
    merged-away lead are re-attributed to the surviving lead (resolved through
    stg_marketo__lead_merge_map, chains included); the id they landed with is
    kept as original_marketo_lead_id.
-#}
{% macro marketo_activity_columns(alias='activities', merge_alias='merge_map') -%}
        {{ alias }}.id as activity_id,
        coalesce({{ merge_alias }}.winning_marketo_lead_id, {{ alias }}.lead_id) as marketo_lead_id,
        {{ alias }}.lead_id as original_marketo_lead_id,
        {{ alias }}.activity_date as activity_at,
        {{ alias }}.activity_type_id,
        {{ alias }}.campaign_id,
        {{ alias }}.primary_attribute_value_id,
        {{ clean_text(alias ~ '.primary_attribute_value') }} as primary_attribute_value,
{%- endmacro %}
