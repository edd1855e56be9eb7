{#-
    The scoring parameters (seeds/scoring_settings.csv) as one typed row, so models
    cross-join them instead of repeating lookups. A setting missing from the seed
    falls back to the documented default.
-#}
with

settings as (

    select
        setting,
        setting_value
    from {{ ref('scoring_settings') }}

),

pivoted as (

    select
        max(setting_value) filter (where setting = 'engagement_half_life_days') as half_life_days,
        max(setting_value) filter (where setting = 'engagement_max_age_days') as max_age_days,
        max(setting_value) filter (where setting = 'open_click_window_hours') as open_click_window_hours,
        max(setting_value) filter (where setting = 'pricing_repeat_window_days') as pricing_repeat_window_days,
        max(setting_value) filter (where setting = 'webinar_attended_max_points') as webinar_attended_max_points,
        max(setting_value) filter (where setting = 'webinar_attended_default_minutes')
            as webinar_attended_default_minutes,
        max(setting_value) filter (where setting = 'fit_gate') as fit_gate,
        max(setting_value) filter (where setting = 'mql_threshold') as mql_threshold,
        max(setting_value) filter (where setting = 'minimum_employees') as minimum_employees,
        max(setting_value) filter (where setting = 'account_window_days') as account_window_days,
        max(setting_value) filter (where setting = 'buying_committee_min_contacts') as buying_committee_min_contacts,
        max(setting_value) filter (where setting = 'buying_committee_min_departments')
            as buying_committee_min_departments,
        max(setting_value) filter (where setting = 'score_band_width') as score_band_width,
        max(setting_value) filter (where setting = 'score_band_min') as score_band_min,
        max(setting_value) filter (where setting = 'score_band_max') as score_band_max,
        max(setting_value) filter (where setting = 'threshold_suggestion_won_cycles')
            as threshold_suggestion_won_cycles,
        max(setting_value) filter (where setting = 'whatif_threshold_min') as whatif_threshold_min,
        max(setting_value) filter (where setting = 'whatif_threshold_max') as whatif_threshold_max,
        max(setting_value) filter (where setting = 'whatif_threshold_step') as whatif_threshold_step
    from settings

),

final as (

    select
        coalesce(half_life_days, 30) as half_life_days,
        coalesce(max_age_days, 365) as max_age_days,
        coalesce(open_click_window_hours, 24) as open_click_window_hours,
        coalesce(pricing_repeat_window_days, 7) as pricing_repeat_window_days,
        coalesce(webinar_attended_max_points, 30) as webinar_attended_max_points,
        coalesce(webinar_attended_default_minutes, 20) as webinar_attended_default_minutes,
        coalesce(fit_gate, 35) as fit_gate,
        coalesce(mql_threshold, 60) as mql_threshold,
        coalesce(minimum_employees, 11) as minimum_employees,
        coalesce(account_window_days, 30) as account_window_days,
        cast(coalesce(buying_committee_min_contacts, 3) as integer) as buying_committee_min_contacts,
        cast(coalesce(buying_committee_min_departments, 2) as integer) as buying_committee_min_departments,
        coalesce(score_band_width, 10) as score_band_width,
        coalesce(score_band_min, 0) as score_band_min,
        coalesce(score_band_max, 150) as score_band_max,
        cast(coalesce(threshold_suggestion_won_cycles, 50) as integer) as threshold_suggestion_won_cycles,
        coalesce(whatif_threshold_min, 0) as whatif_threshold_min,
        coalesce(whatif_threshold_max, 150) as whatif_threshold_max,
        coalesce(whatif_threshold_step, 5) as whatif_threshold_step
    from pivoted

)

select * from final
