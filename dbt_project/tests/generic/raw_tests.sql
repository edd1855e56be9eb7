{#-
    Generic tests for raw tables that may legitimately be missing (an export
    without Marketo, an org without BANT fields). They warn instead of erroring
    on a missing relation or column; staging conforms the gaps.
-#}


{#- Fails (one row) when the raw table has not landed. -#}
{% test raw_table_landed(model) %}
    {%- set relation = landed_relation(model) -%}
    select '{{ model }}' as missing_relation
    {% if relation is not none %}where false{% endif %}
{% endtest %}

{#- Null keys are expected in raw input (they are quarantined): this counts them. -#}
{% test not_null_where_landed(model, column_name) %}
    {%- set relation = landed_relation(model) -%}
    {%- set columns = [] -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do columns.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if column_name | lower in columns %}
    select {{ column_name }} from {{ relation }} where {{ column_name }} is null
    {%- else %}
    select null as {{ column_name }} where false
    {%- endif %}
{% endtest %}

{#-
    A raw table's assertions as one test node: `table_landed` (the table is there, as
    raw_table_landed) and `not_null_where_landed` (these columns have no null, where the table
    and the column landed), one row per failure named by `failed_check` and `column_name`.
-#}
{% test raw_checks(model, table_landed=false, not_null_where_landed=[]) %}
    {%- set relation = landed_relation(model) -%}
    {%- set columns = [] -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do columns.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set checks = ["select 'raw_table_landed' as failed_check, '" ~ model.identifier ~ "' as column_name where " ~ ("false" if relation is not none or not table_landed else "true")] -%}
    {%- for column in not_null_where_landed if column | lower in columns %}
        {%- do checks.append("select 'not_null_where_landed' as failed_check, '" ~ column ~ "' as column_name from " ~ relation ~ " where " ~ column ~ " is null") -%}
    {%- endfor %}
    {{ checks | join('\nunion all\n') }}
{% endtest %}
