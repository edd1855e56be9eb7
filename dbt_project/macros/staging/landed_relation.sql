{#- The raw relation behind a source if it has landed in the warehouse, else none. -#}
{% macro landed_relation(model) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=model.database, schema=model.schema, identifier=model.identifier)) }}
{% endmacro %}
