{#-
    Raw rows of one source that cannot be used, one row each, with the reason and the
    classified row as JSON for inspection (the body of quarantine_<source>).
-#}
{% macro quarantine_rows(source_name) %}

with

{% for table_name in raw_tables()[source_name] %}
{{ table_name }} as (

    select
        '{{ table_name }}' as table_name,
        base_row._dedupe_key as record_key,
        base_row._quarantine_reason as reason,
        base_row._fivetran_synced as synced_at,
        {{ row_to_json('base_row') }} as raw_row
    -- the incremental mechanism's bucket columns say nothing about the raw row
    from (
        select {{ star_except(ref('base_' ~ source_name ~ '__' ~ table_name), bucket_columns()) }}
        from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}
    ) as base_row
    where base_row._disposition = 'quarantined'

),
{% endfor %}

unioned as (
{% for table_name in raw_tables()[source_name] %}
    select * from {{ table_name }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
)

select
    '{{ source_name }}' as source_name,
    *
from unioned

{% endmacro %}
