{#-
    The run's as-of time (UTC): what counts as "the future" for quarantine, as an
    open SLA breach, and the scores' as-of date. `lead-funnel run --as-of` exports
    LEAD_FUNNEL_AS_OF; without it (an analytics engineer running dbt by hand) it
    is now. Read from the environment in this one model only, so a changing as-of
    never invalidates dbt's partial parsing of the rest of the project.
-#}
{%- set as_of = env_var('LEAD_FUNNEL_AS_OF', '') | trim %}
{%- if as_of %}
    {%- set as_of_expression = "cast('" ~ as_of ~ "' as timestamp)" %}
{%- else %}
    {%- set as_of_expression = utc_now() %}
{%- endif %}

select {{ as_of_expression }} as as_of
