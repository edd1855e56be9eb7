{#-
    Every numeric business setting as one typed row, so models cross-join it instead
    of looking values up: the scoring, data-quality, funnel-diagnostic and
    attribution settings seeds (columns setting, setting_value), one column per
    setting, named as in the seed. The seeds are the only place a value lives: this
    model has no defaults, and the settings_are_complete test fails the build, naming
    the setting, when no seed has a row for one of these, a seed names one this model
    does not know, or two rows give it different values. An empty value is a value
    (lookback_days: no limit); the seeds' own tests say which must not be empty.
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
        {{ pivot_setting('benchmark_min_denominator') }},
        {{ pivot_setting('time_decay_half_life_days') }},
        -- empty in the seed: no lookback limit
        {{ pivot_setting('lookback_days') }}
    from seeded

)

select * from final
