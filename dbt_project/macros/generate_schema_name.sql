{#-
    Schemas are used as named (staging, intermediate, marts, audit, seeds),
    without dbt's default "<target schema>_" prefix: BI tools and the contract
    expect `marts.fct_lead_cycles`, not `main_marts.fct_lead_cycles`.

    The marts schema can be redirected with LEAD_FUNNEL_MARTS_SCHEMA:
    `lead-funnel run` builds into `marts_build`, audits it, then publishes.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif custom_schema_name | trim == 'marts' -%}
        {{ env_var('LEAD_FUNNEL_MARTS_SCHEMA', 'marts') }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
