{#- Whether a stored relation has a column (case-insensitive): an incremental model
    asks it of `this` before relying on a column an older build may lack. -#}
{% macro relation_has_column(relation, column) -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{- return(column | lower in names) -}}
{%- endmacro %}
