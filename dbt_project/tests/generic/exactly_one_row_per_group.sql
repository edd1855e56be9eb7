{#- Every group has exactly one row matching `condition` (e.g. one current stage per lead). -#}
{% test exactly_one_row_per_group(model, group_by, condition) %}
    select {{ group_by }}, count(*) filter (where {{ condition }}) as matching_rows
    from {{ model }}
    group by {{ group_by }}
    having count(*) filter (where {{ condition }}) <> 1
{% endtest %}
