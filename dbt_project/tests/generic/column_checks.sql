{#-
    A model's (or seed's) row-level assertions as one test node, the same assertions as one
    node each would make, one row per failing row or value, named by `failed_check` (the
    rule), `column_name` (the column, the columns or the expression) and `failing_value`:
    - `not_null`: columns with no null;
    - `unique`: columns with no value twice (nulls aside);
    - `accepted_values`: column -> its values, or -> {values: [...], quote: false}; nulls pass;
    - `value_between`: column -> {min_value, max_value} (either may be left out); nulls pass;
    - `relationships`: [{column_name, to, field}]: every non-null value is in `to`.`field`;
    - `unique_combination`: [[columns], ...]: at most one row per combination (nulls count);
    - `expression_is_true`: [expressions]: every row makes it true (a null fails).
    One node instead of one per assertion (each node costs dbt ~30-45 ms of its own Python
    and Dagster two events); `tools/combine_key_tests.py` folds per-assertion tests into it.
-#}
{% test column_checks(
        model,
        not_null=[],
        unique=[],
        accepted_values={},
        value_between={},
        relationships=[],
        unique_combination=[],
        expression_is_true=[]) %}

{%- set text = dbt.type_string() -%}
{%- set checks = [] -%}
{%- for column in not_null %}
    {%- do checks.append(
        "select 'not_null' as failed_check, '" ~ column ~ "' as column_name, cast(null as " ~ text ~ ") as failing_value"
        ~ " from " ~ model ~ " where " ~ column ~ " is null") -%}
{%- endfor %}
{%- for column in unique %}
    {%- do checks.append(
        "select 'unique' as failed_check, '" ~ column ~ "' as column_name, cast(" ~ column
        ~ " as " ~ text ~ ") as failing_value from " ~ model ~ " where " ~ column
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
        ~ column ~ " as " ~ text ~ ") as failing_value from " ~ model ~ " where "
        ~ column ~ " not in (" ~ listed | join(', ') ~ ") group by " ~ column) -%}
{%- endfor %}
{%- for column, bounds in value_between.items() %}
    {%- set outside = [] -%}
    {%- if bounds.get('min_value') is not none %}
        {%- do outside.append(column ~ " < " ~ bounds['min_value']) -%}
    {%- endif %}
    {%- if bounds.get('max_value') is not none %}
        {%- do outside.append(column ~ " > " ~ bounds['max_value']) -%}
    {%- endif %}
    {%- do checks.append(
        "select 'value_between' as failed_check, '" ~ column ~ "' as column_name, cast("
        ~ column ~ " as " ~ text ~ ") as failing_value from " ~ model ~ " where " ~ column
        ~ " is not null and (" ~ (outside | join(' or ') or 'false') ~ ")") -%}
{%- endfor %}
{%- for relationship in relationships %}
    {%- set column = relationship['column_name'] -%}
    {%- do checks.append(
        "select 'relationships' as failed_check, '" ~ column ~ " -> " ~ relationship['to'].identifier
        ~ "." ~ relationship['field'] ~ "' as column_name, cast(child." ~ column ~ " as " ~ text
        ~ ") as failing_value from " ~ model ~ " as child left join " ~ relationship['to']
        ~ " as parent on child." ~ column ~ " = parent." ~ relationship['field'] ~ " where child."
        ~ column ~ " is not null and parent." ~ relationship['field'] ~ " is null") -%}
{%- endfor %}
{%- for columns in unique_combination %}
    {%- set parts = [] -%}
    {%- for column in columns %}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ text ~ "), 'null')") -%}
    {%- endfor %}
    {%- do checks.append(
        "select 'unique_combination' as failed_check, '" ~ columns | join(', ')
        ~ "' as column_name, " ~ parts | join(" || ', ' || ") ~ " as failing_value from "
        ~ model ~ " group by " ~ columns | join(', ') ~ " having count(*) > 1") -%}
{%- endfor %}
{%- for expression in expression_is_true %}
    {%- do checks.append(
        "select 'expression_is_true' as failed_check, '" ~ (expression | trim | replace("'", "''"))
        ~ "' as column_name, cast(null as " ~ text ~ ") as failing_value from " ~ model
        ~ " where (" ~ expression ~ ") is not true") -%}
{%- endfor %}

{%- if not checks %}
    {{ exceptions.raise_compiler_error("column_checks on " ~ model ~ " names no column") }}
{%- endif %}

{{ checks | join('\nunion all\n') }}

{% endtest %}
