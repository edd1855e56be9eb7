{#-
    Scoring helpers. Every number comes from a seed (int_settings pivots
    the settings seeds into one typed row).
-#}

{#- Points decayed by age: an event exactly one half-life before `at` counts half. -#}
{% macro decayed_points(points, event_at, at, half_life_days) -%}
    ({{ points }}) * pow(0.5, {{ dbt.datediff(event_at, at, 'second') }} / 86400.0e0 / ({{ half_life_days }}))
{%- endmacro %}


{#-
    The score band a score falls in, as an index: -1 below score_band_min, one per
    score_band_width from there, and the last (open) band at or above score_band_max.
    `settings` is the alias of int_settings in the calling query.
-#}
{% macro score_band_index(score, settings='settings') -%}
    case
        when {{ score }} is null then null
        when {{ score }} < {{ settings }}.score_band_min then -1
        when {{ score }} >= {{ settings }}.score_band_max
            then cast(
                ceil(({{ settings }}.score_band_max - {{ settings }}.score_band_min) / {{ settings }}.score_band_width)
                as integer
            )
        else cast(floor(({{ score }} - {{ settings }}.score_band_min) / {{ settings }}.score_band_width) as integer)
    end
{%- endmacro %}


{#- A score bound as text: no decimals when it is whole ('60', not '60.0'). -#}
{% macro format_score(value) -%}
    case
        when {{ value }} = round({{ value }}) then cast(cast({{ value }} as bigint) as string)
        else cast({{ value }} as string)
    end
{%- endmacro %}
