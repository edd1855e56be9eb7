{#-
    Proof that nothing disappears silently: for every raw table,
    raw rows = staged + duplicate + deleted + merged + quarantined.
    `unaccounted_rows` must be 0 (a dbt test, a blocking GX invariant, and a post-hook
    that fails the build saying which table and what to run).
-#}
{{ config(post_hook="{{ fail_unless_every_raw_row_is_accounted_for() }}") }}
{{ check_raw_tables_cover_sources() }}

with

{% for source_name, tables in raw_tables().items() %}
    {%- for table_name in tables %}
        {{ source_name }}__{{ table_name }} as (

            select
                '{{ source_name }}' as source_name,
                '{{ table_name }}' as table_name,
                {{ raw_row_count(source_name, table_name) }} as raw_rows,
                count(*) filter (where _disposition = 'staged') as staged_rows,
                count(*) filter (where _disposition = 'duplicate') as duplicate_rows,
                count(*) filter (where _disposition = 'deleted') as deleted_rows,
                count(*) filter (where _disposition = 'merged') as merged_rows,
                count(*) filter (where _disposition = 'quarantined') as quarantined_rows,
                count(*) as classified_rows
            from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}

        ),
    {% endfor -%}
{% endfor %}

unioned as (
    {% for source_name, tables in raw_tables().items() %}
        {%- for table_name in tables %}
            select * from {{ source_name }}__{{ table_name }}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}    union all{% endif %}
    {% endfor %}
),

final as (

    select
        *,
        raw_rows - (staged_rows + duplicate_rows + deleted_rows + merged_rows + quarantined_rows)
            as unaccounted_rows
    from unioned

)

select * from final
