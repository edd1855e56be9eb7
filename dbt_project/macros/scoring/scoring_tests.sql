{#- Generic data tests of the scoring marts (no package dependencies). -#}

{#- Fails on every row whose value lies outside [min_value, max_value] (nulls pass). -#}
{% test scoring_value_between(model, column_name, min_value=none, max_value=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and (
            false
            {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
            {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
        )
{% endtest %}


{#- Fails on every row where the expression (a boolean over the row) is false. -#}
{% test scoring_row_condition(model, condition) %}
    select *
    from {{ model }}
    where not coalesce({{ condition }}, false)
{% endtest %}
