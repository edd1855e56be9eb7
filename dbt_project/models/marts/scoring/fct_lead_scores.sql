{#-
    One row per live lead: its score as of the run (contract section 3), then the
    fit gate, the score band (as in fct_score_calibration), the fit and negative
    components and the lane a handoff would take now (a fast-lane signal overrides
    the score). No emails and no names.
-#}
with

scores as (

    select * from {{ ref('int_lead_scores') }}

),

fit_scores as (

    select * from {{ ref('int_lead_fit_scores') }}

),

bands as (

    select * from {{ ref('int_score_bands') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

final as (

    select
        scores.lead_id,
        scores.as_of,
        scores.fit_score,
        scores.engagement_score,
        scores.intent_score,
        scores.negative_score,
        scores.total_score,
        scores.is_mql_eligible,
        scores.fast_lane_signal_at,
        scores.is_fit_gate_passed,
        bands.score_band,
        bands.band_order as score_band_order,
        case
            when scores.fast_lane_signal_at is not null then 'fast_lane'
            when scores.is_mql_eligible then 'score'
        end as handoff_lane,
        scores.last_scored_activity_at,
        scores.scored_events,
        fit_scores.industry_points,
        fit_scores.employee_band_points,
        fit_scores.revenue_band_points,
        fit_scores.country_points,
        fit_scores.seniority_points,
        fit_scores.persona_points,
        fit_scores.is_personal_email_domain,
        fit_scores.is_student_or_intern,
        fit_scores.is_competitor_domain,
        fit_scores.is_outside_service_area,
        fit_scores.is_below_minimum_company_size
    from scores
    cross join settings
    left join fit_scores
        on scores.lead_id = fit_scores.lead_id
    left join bands
        on {{ score_band_index('scores.total_score') }} = bands.band_index

)

select * from final
