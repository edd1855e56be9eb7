{#-
    A model's per-column key assertions as one test node: every column in `not_null` has no
    null, every column in `unique` no value twice (nulls aside), every column in
    `accepted_values` (column -> its values, or -> {values: [...], quote: false}) no value
    outside them (nulls pass). The same assertions as dbt's not_null, unique and
    accepted_values tests, one row per failing row (not_null) or failing value (unique,
    accepted_values), named by `failed_check` and `column_name`; one node instead of one per
    column (each node costs dbt ~30 ms and Dagster two events).
-#}
{% test column_checks(model, not_null=[], unique=[], accepted_values={}) %}

{%- set checks = [] -%}
{%- for column in not_null %}
    {%- do checks.append(
        "select 'not_null' as failed_check, '" ~ column ~ "' as column_name, cast(null as " ~ dbt.type_string() ~ ") as failing_value"
        ~ " from " ~ model ~ " where " ~ column ~ " is null") -%}
{%- endfor %}
{%- for column in unique %}
    {%- do checks.append(
        "select 'unique' as failed_check, '" ~ column ~ "' as column_name, cast(" ~ column
        ~ " as " ~ dbt.type_string() ~ ") as failing_value from " ~ model ~ " where " ~ column
        ~ " is not null group by " ~ column ~ " having count(*) > 1") -%}
{%- endfor %}
{%- for column, spec in accepted_values.items() %}
    {%- set values = spec['values'] if spec is mapping else spec -%}
    {%- set quote = spec.get('quote', true) if spec is mapping else true -%}
    {%- set listed = [] -%}
    {%- for value in values %}
        {%- do listed.append(("'" ~ value ~ "'") if quote else (value | string)) -%}
    {%- endfor %}
    {%- do checks.append(
        "select 'accepted_values' as failed_check, '" ~ column ~ "' as column_name, cast("
        ~ column ~ " as " ~ dbt.type_string() ~ ") as failing_value from " ~ model ~ " where "
        ~ column ~ " not in (" ~ listed | join(', ') ~ ") group by " ~ column) -%}
{%- endfor %}

{%- if not checks %}
    {{ exceptions.raise_compiler_error("column_checks on " ~ model ~ " names no column") }}
{%- endif %}

{{ checks | join('\nunion all\n') }}

{% endtest %}
