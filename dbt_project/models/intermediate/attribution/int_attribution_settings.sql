{#-
    The attribution settings (seeds/attribution_settings.csv) as one typed row. The
    values live only in the seed: lookback_days empty means no lookback limit.
-#}
with

settings as (

    select
        setting,
        setting_value
    from {{ ref('attribution_settings') }}

),

final as (

    select
        max(case when setting = 'time_decay_half_life_days' then setting_value end) as time_decay_half_life_days,
        max(case when setting = 'lookback_days' then setting_value end) as lookback_days
    from settings

)

select * from final
