{#-
    The project's generic data tests (no package dependencies: dbt deps cannot reach the hub).
-#}


{#- Grain: at most one row per combination of `columns` (null is a value like any other). -#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as rows_per_key
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}


{#- Every row satisfies `expression`; a null result fails (say `x is null or ...` to allow nulls). -#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where ({{ expression }}) is not true
{% endtest %}


{#-
    The model's sums of `measures` (column -> the expression that computes the same
    total from `compare_model`) equal the compare model's, per `group_by` (plain
    column names of the model; `compare_group_by` gives the compare side's
    expressions for them when they differ). A group present on one side only fails
    unless its totals are all zero. Money is compared with a relative tolerance.
-#}
{% test totals_reconcile(
        model,
        compare_model,
        measures,
        group_by=[],
        compare_group_by=none,
        model_where=none,
        compare_where=none,
        tolerance=0.000001) %}

{%- set compare_keys = compare_group_by if compare_group_by is not none else group_by -%}

with

model_totals as (

    select
        {%- for key in group_by %}
        {{ key }},
        {%- endfor %}
        {%- for column in measures %}
        coalesce(sum({{ column }}), 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
    {%- if model_where %}
    where {{ model_where }}
    {%- endif %}
    {%- if group_by %}
    group by {{ group_by | join(', ') }}
    {%- endif %}

),

compare_totals as (

    select
        {%- for key in group_by %}
        {{ compare_keys[loop.index0] }} as {{ key }},
        {%- endfor %}
        {%- for column, expression in measures.items() %}
        coalesce({{ expression }}, 0) as {{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ compare_model }}
    {%- if compare_where %}
    where {{ compare_where }}
    {%- endif %}
    {%- if group_by %}
    group by {{ compare_keys | join(', ') }}
    {%- endif %}

),

compared as (

    select
        {%- for key in group_by %}
        coalesce(model_totals.{{ key }}, compare_totals.{{ key }}) as {{ key }},
        {%- endfor %}
        {%- for column in measures %}
        coalesce(model_totals.{{ column }}, 0) as model_{{ column }},
        coalesce(compare_totals.{{ column }}, 0) as expected_{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from model_totals
    {%- if group_by %}
    full outer join compare_totals
        on {% for key in group_by %}model_totals.{{ key }} is not distinct from compare_totals.{{ key }}{% if not loop.last %}
        and {% endif %}{% endfor %}
    {%- else %}
    cross join compare_totals
    {%- endif %}

)

select *
from compared
where
    {%- for column in measures %}
    abs(model_{{ column }} - expected_{{ column }}) > {{ tolerance }} * greatest(1, abs(expected_{{ column }}))
    {%- if not loop.last %} or{% endif %}
    {%- endfor %}

{% endtest %}


{#- Fails on every row whose value lies outside [min_value, max_value] (nulls pass). -#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
        and (
            false
            {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
            {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
        )
{% endtest %}


{#-
    The settings row (int_settings) is complete: one row per problem, naming the
    setting — `missing` when no settings seed has a row for one of its columns,
    `unknown` when a seed names a setting the model has no column for (a typo would
    otherwise be ignored), and `conflicting` when two rows give it different values.
-#}
{% test settings_are_complete(model) %}
    {%- set columns = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list -%}
    with

    seeded as (

        {{ settings_seed_rows() }}

    ),

    expected as (

        {%- for column in columns %}
        select '{{ column }}' as setting
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}

    ),

    problems as (

        select expected.setting, 'missing' as problem
        from expected
        left join seeded
            on expected.setting = seeded.setting_key
        where seeded.setting_key is null
        union all
        select seeded.setting_key as setting, 'unknown' as problem
        from seeded
        left join expected
            on seeded.setting_key = expected.setting
        where expected.setting is null
        union all
        select setting_key as setting, 'conflicting' as problem
        from seeded
        group by setting_key
        having count(distinct setting_value) > 1

    )

    select * from problems
{% endtest %}
