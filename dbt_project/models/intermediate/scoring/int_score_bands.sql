{#-
    The score bands of the calibration marts, from score_band_min, score_band_max and
    score_band_width (seeds/scoring_settings.csv): one open band below the minimum
    (band_index -1, '< 0'), closed bands [lower, upper) of the given width, and one
    open band at or above the maximum ('>= 150'). The macro score_band_index() puts
    a score in its band.
-#}
with

settings as (

    select * from {{ ref('int_settings') }}

),

band_count as (

    select cast(ceil((score_band_max - score_band_min) / score_band_width) as integer) as closed_bands
    from settings

),

indexes as (

    select cast(band_range.band_index as integer) as band_index
    from band_count,
        lateral {{ series('-1', 'band_count.closed_bands') }} as band_range (band_index)

),

bounds as (

    select
        indexes.band_index,
        case
            when indexes.band_index >= 0 then settings.score_band_min + indexes.band_index * settings.score_band_width
        end as band_lower,
        case
            when indexes.band_index = -1 then settings.score_band_min
            when indexes.band_index < band_count.closed_bands
                then least(
                        settings.score_band_min + (indexes.band_index + 1) * settings.score_band_width,
                        settings.score_band_max
                    )
        end as band_upper
    from indexes
    cross join settings
    cross join band_count

),

final as (

    select
        band_index,
        case
            when band_lower is null then '< ' || {{ format_score('band_upper') }}
            when band_upper is null then '>= ' || {{ format_score('band_lower') }}
            else '[' || {{ format_score('band_lower') }} || ', ' || {{ format_score('band_upper') }} || ')'
        end as score_band,
        band_index + 2 as band_order,
        band_lower,
        band_upper
    from bounds

)

select * from final
