{#- Rounded floats that do not depend on the engine, and sums and averages of floats that do
    not depend on the order rows are added in.

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

{#- A double rounded half up on its decimal digits, as both engines print it: `round` on a
    double rounds its binary value on DuckDB (536.925 is 536.92499.., giving 536.92) and its
    decimal text on Spark (536.93). The value goes through a decimal to `digits + 4` places. -#}
{% macro rounded(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(38, {{ digits + 4 }})), {{ digits }}) as double)
{%- endmacro %}
