{#- The relation holds exactly one row (e.g. the run context). -#}
{% test has_exactly_one_row(model) %}
    select count(*) as row_count from {{ model }} having count(*) <> 1
{% endtest %}
