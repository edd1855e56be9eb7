{#-
    Raw marketo rows that cannot be used, one row each, with the reason and the
    classified row as JSON for inspection. Fix them at the source: the next sync
    replaces them and they leave quarantine by themselves.
-#}
{{ config(schema='quarantine', materialized='table') }}

with

{% for table_name in raw_tables()['marketo'] %}
    {{ table_name }} as (

        select
            '{{ table_name }}' as table_name,
            base_row._dedupe_key as record_key,
            base_row._quarantine_reason as reason,
            base_row._fivetran_synced as synced_at,
            to_json(base_row) as raw_row
        from {{ ref('base_marketo' ~ '__' ~ table_name) }} as base_row
        where base_row._disposition = 'quarantined'

    ),
{% endfor %}

unioned as (
    {% for table_name in raw_tables()['marketo'] %}
        select * from {{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    'marketo' as source_name,
    *
from unioned
