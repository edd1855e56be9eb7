{#-
    Scoring helpers. Every number comes from a seed (int_settings pivots
    the settings seeds into one typed row).
-#}

{#- Points decayed by age: an event exactly one half-life before `at` counts half. The
    one decay formula: exponential decay is multiplicative, so a sum already decayed to
    time t0 is rescaled to `at` by the same call (points = the sum, event_at = t0). -#}
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


{#-
    The bucket digest inputs of int_scoring_decayed_points: per bucket of
    int_scoring_person_events (both are bucketed by score_owner_id), its stored digest,
    with the settings row (half-life, maximum age). The run's as-of is deliberately not in
    it: an unchanged bucket is rescaled to the new as-of, not rebuilt. One row per bucket,
    so the digest reads no event's values.
-#}
{% macro scoring_decay_digest_inputs() -%}
    {%- set sql -%}
(
    select
        bucket_owners.score_owner_id,
        {{ hash_of(['bucket_owners._bucket_digest', whole_row_hash('settings')]) }} as _row_hash
    from (
        select
            min(events.score_owner_id) as score_owner_id,
            events._bucket_digest
        from {{ ref('int_scoring_person_events') }} as events
        group by events._bucket, events._bucket_digest
    ) as bucket_owners
    cross join {{ ref('int_settings') }} as settings
) as decay_inputs
    {%- endset -%}
    {{ return([{'relation': sql, 'row_hash': '_row_hash'}]) }}
{%- endmacro %}
