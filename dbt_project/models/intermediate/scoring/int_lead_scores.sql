{#-
    Every live lead's score as of the run (one row per row of int_lead_attributes):

    * fit_score and negative_score: int_lead_fit_scores (seeds);
    * engagement_score and intent_score: the lead's event points decayed by age at the
      as-of with the engagement_half_life_days half-life (an event one half-life old
      counts half); events older than engagement_max_age_days or after the as-of count
      nothing; rounded to 2 decimals. The sums come from int_scoring_decayed_points
      (the rows whose owner is the lead), decayed to their decayed_to (an earlier night's
      as-of for a bucket nothing changed in) and rescaled here to the as-of with the same
      decay formula (decayed_points); rounding comes after the rescale and the sum, so it
      equals decaying every event afresh;
    * total_score = fit_score + engagement_score + intent_score + negative_score;
    * is_fit_gate_passed: fit_score >= fit_gate; is_mql_eligible: the gate is passed
      and total_score >= mql_threshold (both in seeds/scoring_settings.csv);
    * fast_lane_signal_at: the lead's latest fast-lane form fill up to the as-of;
      a hand raise goes to sales whatever the score says.
-#}
with

leads as (

    select lead_id from {{ ref('int_lead_attributes') }}

),

fit_scores as (

    select * from {{ ref('int_lead_fit_scores') }}

),

stored_points as (

    select
        lead_id,
        decayed_to,
        engagement_points,
        intent_points,
        last_scored_activity_at,
        scored_events
    from {{ ref('int_scoring_decayed_points') }}
    where lead_id is not null

),

hand_raises as (

    select
        lead_id,
        hand_raised_at
    from {{ ref('int_fast_lane_hand_raises') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

decayed as (

    select
        stored_points.lead_id,
        sum(
            {{ decayed_points(
                'stored_points.engagement_points', 'stored_points.decayed_to', 'run_context.as_of',
                'settings.engagement_half_life_days'
            ) }}
        ) as engagement_points,
        sum(
            {{ decayed_points(
                'stored_points.intent_points', 'stored_points.decayed_to', 'run_context.as_of',
                'settings.engagement_half_life_days'
            ) }}
        ) as intent_points,
        max(stored_points.last_scored_activity_at) as last_scored_activity_at,
        sum(stored_points.scored_events) as scored_events
    from stored_points
    cross join run_context
    cross join settings
    group by stored_points.lead_id

),

fast_lane_signals as (

    select
        hand_raises.lead_id,
        max(hand_raises.hand_raised_at) as fast_lane_signal_at
    from hand_raises
    cross join run_context
    where hand_raises.hand_raised_at <= run_context.as_of
    group by hand_raises.lead_id

),

components as (

    select
        leads.lead_id,
        run_context.as_of,
        cast(coalesce(fit_scores.fit_score, 0) as double) as fit_score,
        {{ rounded('coalesce(decayed.engagement_points, 0)', 2) }} as engagement_score,
        {{ rounded('coalesce(decayed.intent_points, 0)', 2) }} as intent_score,
        cast(coalesce(fit_scores.negative_score, 0) as double) as negative_score,
        fast_lane_signals.fast_lane_signal_at,
        decayed.last_scored_activity_at,
        coalesce(decayed.scored_events, 0) as scored_events,
        settings.fit_gate,
        settings.mql_threshold
    from leads
    cross join run_context
    cross join settings
    left join fit_scores
        on leads.lead_id = fit_scores.lead_id
    left join decayed
        on leads.lead_id = decayed.lead_id
    left join fast_lane_signals
        on leads.lead_id = fast_lane_signals.lead_id

),

final as (

    select
        lead_id,
        as_of,
        fit_score,
        engagement_score,
        intent_score,
        negative_score,
        fit_score + engagement_score + intent_score + negative_score as total_score,
        fit_score >= fit_gate as is_fit_gate_passed,
        fit_score >= fit_gate and fit_score + engagement_score + intent_score + negative_score >= mql_threshold
            as is_mql_eligible,
        fast_lane_signal_at,
        last_scored_activity_at,
        scored_events
    from components

)

select * from final
