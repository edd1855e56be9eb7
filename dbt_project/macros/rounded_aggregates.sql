{#- Sums and averages of floats that do not depend on the order rows are added in.

    A double sum's last bits depend on the order threads and an incremental table's row
    order feed it, and rounding only hides that until a value sits on a rounding boundary
    (an incremental night then differs from a full refresh, and Spark from DuckDB). These
    add exact decimals (the inputs to `digits + 4` places), round to `digits`, and return
    a double as before. -#}

{% macro rounded_sum(expression, digits) -%}
    cast(round(sum(cast({{ expression }} as decimal(38, {{ digits + 4 }}))), {{ digits }}) as double)
{%- endmacro %}

{% macro rounded_avg(expression, digits) -%}
    cast(round(avg(cast({{ expression }} as decimal(38, {{ digits + 4 }}))), {{ digits }}) as double)
{%- endmacro %}
