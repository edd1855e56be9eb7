{#-
    Every numeric business setting as one typed row, so models cross-join it instead
    of looking values up: the scoring, data-quality and funnel-diagnostic settings
    seeds (columns setting, setting_value), one column per setting, named as in the
    seed. The seeds are the only place a value lives: this model has no defaults,
    and the settings_are_complete test fails the build, naming the setting, when a
    seed lacks one of these, names one this model does not know, or gives one twice.
-#}
with

seeded as (

    {{ settings_seed_rows() }}

),

final as (

    select
        {{ pivot_setting('engagement_half_life_days') }},
        {{ pivot_setting('engagement_max_age_days') }},
        {{ pivot_setting('open_click_window_hours') }},
        {{ pivot_setting('pricing_repeat_window_days') }},
        {{ pivot_setting('webinar_attended_max_points') }},
        {{ pivot_setting('webinar_attended_default_minutes') }},
        {{ pivot_setting('fit_gate') }},
        {{ pivot_setting('mql_threshold') }},
        {{ pivot_setting('minimum_employees') }},
        {{ pivot_setting('account_window_days') }},
        {{ pivot_setting('buying_committee_min_contacts', 'integer') }},
        {{ pivot_setting('buying_committee_min_departments', 'integer') }},
        {{ pivot_setting('score_band_width') }},
        {{ pivot_setting('score_band_min') }},
        {{ pivot_setting('score_band_max') }},
        {{ pivot_setting('threshold_suggestion_won_cycles', 'integer') }},
        {{ pivot_setting('whatif_threshold_min') }},
        {{ pivot_setting('whatif_threshold_max') }},
        {{ pivot_setting('whatif_threshold_step') }},
        {{ pivot_setting('sql_min_bant_flags') }},
        {{ pivot_setting('benchmark_min_denominator') }}
    from seeded

)

select * from final
