{#-
    The seeds that hold numeric settings (columns setting, setting_value), and their
    rows with the key normalised (lower case, trimmed). int_settings pivots them; the
    settings_are_complete test checks them against its columns.
-#}
{% macro settings_seeds() %}
    {{ return(['scoring_settings', 'quality_settings', 'funnel_diagnostic_settings', 'attribution_settings']) }}
{% endmacro %}


{% macro settings_seed_rows() %}
    {%- for seed in settings_seeds() %}
    select
        '{{ seed }}' as seed_name,
        lower(trim(setting)) as setting_key,
        cast(setting_value as double) as setting_value
    from {{ ref(seed) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}


{#- One setting's column of int_settings: its seeded value, cast, named as in the seed. -#}
{% macro pivot_setting(name, type='double') -%}
    cast(max(setting_value) filter (where setting_key = '{{ name }}') as {{ type }}) as {{ name }}
{%- endmacro %}
