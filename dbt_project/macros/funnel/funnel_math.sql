{#- A ratio as a double, null when the denominator is 0 or null (contract section 3). -#}
{% macro funnel_ratio(numerator, denominator) -%}
    case
        when coalesce(({{ denominator }}), 0) = 0 then null
        else cast(({{ numerator }}) as double) / ({{ denominator }})
    end
{%- endmacro %}

{#- Elapsed time between two timestamps in fractional hours (or days), from whole seconds. -#}
{% macro funnel_hours_between(start_column, end_column) -%}
    ({{ dbt.datediff(start_column, end_column, 'second') }} / 3600.0e0)
{%- endmacro %}

{% macro funnel_days_between(start_column, end_column) -%}
    ({{ dbt.datediff(start_column, end_column, 'second') }} / 86400.0e0)
{%- endmacro %}

{#- The first day of the month (or quarter) of a timestamp or date, as a DATE. -#}
{% macro funnel_month(column) -%}
    cast({{ dbt.date_trunc('month', column) }} as date)
{%- endmacro %}

{% macro funnel_quarter(column) -%}
    cast({{ dbt.date_trunc('quarter', column) }} as date)
{%- endmacro %}

{#- A rate against its benchmark range: no_data, low_volume (denominator under the minimum), below, within, above. -#}
{% macro funnel_benchmark_status(rate, denominator, low, high, min_denominator) -%}
    case
        when {{ rate }} is null then 'no_data'
        when {{ denominator }} < {{ min_denominator }} then 'low_volume'
        when {{ rate }} < {{ low }} then 'below'
        when {{ rate }} > {{ high }} then 'above'
        else 'within'
    end
{%- endmacro %}
