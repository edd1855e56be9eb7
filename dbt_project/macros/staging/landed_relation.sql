{#- The raw relation behind a source if it has landed in the warehouse, else none. -#}
{% macro landed_relation(model) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- do assert_plain_identifier(model.schema, 'the raw schema of ' ~ model.identifier) -%}
    {{ return(adapter.get_relation(database=model.database, schema=model.schema, identifier=model.identifier)) }}
{% endmacro %}


{#- The same rule as lead_funnel.settings.checked_identifier, for dbt run by hand with a
    LEAD_FUNNEL_*_SCHEMA variable: a name that reaches SQL is a plain identifier. -#}
{% macro assert_plain_identifier(name, what) %}
    {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]{0,62}', name | string) -%}
        {{ exceptions.raise_compiler_error(what ~ " '" ~ name ~ "' is not a usable schema name: use letters, digits and underscores, starting with a letter or an underscore") }}
    {%- endif -%}
{% endmacro %}
