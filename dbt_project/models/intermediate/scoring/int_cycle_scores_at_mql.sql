{#-
    The score each handoff cycle's lead had just before its handoff (one row per
    cycle of int_lead_cycles). Point in time: engagement and intent sum only the
    events scored strictly before mql_at, decayed to mql_at (the same half-life and
    maximum age as int_lead_scores), in one range join of cycles and events, not a
    per-cycle loop. An email open counts from the click that confirmed it, so a click
    after mql_at never raises the score at MQL; the hand raise that opened a fast-lane
    cycle (at mql_at) does not count either. Fit and negative points rest on the
    lead's current attributes (the CRM keeps no history of them).

    score_at_mql = fit + engagement + intent + negative at MQL;
    is_mql_eligible_at_mql says whether the score model would have handed the lead
    off then (fit gate and threshold of today's seeds).
-#}
with

cycles as (

    select
        cycle_id,
        lead_id,
        mql_at
    from {{ ref('int_lead_cycles') }}

),

fit_scores as (

    select
        lead_id,
        fit_score,
        negative_score
    from {{ ref('int_lead_fit_scores') }}

),

events as (

    select
        lead_id,
        scored_at,
        score_component,
        base_points
    from {{ ref('int_scoring_person_events') }}
    where lead_id is not null

),

settings as (

    select * from {{ ref('int_settings') }}

),

points_before_mql as (

    select
        cycles.cycle_id,
        sum(
            {{ decayed_points(
                'events.base_points', 'events.scored_at', 'cycles.mql_at', 'settings.engagement_half_life_days'
            ) }}
        ) filter (where events.score_component = 'engagement') as engagement_points,
        sum(
            {{ decayed_points(
                'events.base_points', 'events.scored_at', 'cycles.mql_at', 'settings.engagement_half_life_days'
            ) }}
        ) filter (where events.score_component = 'intent') as intent_points,
        count(*) as scored_events
    from cycles
    inner join events
        on cycles.lead_id = events.lead_id
            and cycles.mql_at > events.scored_at
    cross join settings
    where events.scored_at > cycles.mql_at - settings.engagement_max_age_days * interval 1 day
    group by cycles.cycle_id

),

components as (

    select
        cycles.cycle_id,
        cycles.lead_id,
        cycles.mql_at,
        cast(coalesce(fit_scores.fit_score, 0) as double) as fit_score_at_mql,
        {{ rounded('coalesce(points_before_mql.engagement_points, 0)', 2) }} as engagement_score_at_mql,
        {{ rounded('coalesce(points_before_mql.intent_points, 0)', 2) }} as intent_score_at_mql,
        cast(coalesce(fit_scores.negative_score, 0) as double) as negative_score_at_mql,
        coalesce(points_before_mql.scored_events, 0) as scored_events_before_mql,
        settings.fit_gate,
        settings.mql_threshold
    from cycles
    cross join settings
    left join fit_scores
        on cycles.lead_id = fit_scores.lead_id
    left join points_before_mql
        on cycles.cycle_id = points_before_mql.cycle_id
    where cycles.mql_at is not null

),

final as (

    select
        cycle_id,
        fit_score_at_mql + engagement_score_at_mql + intent_score_at_mql + negative_score_at_mql as score_at_mql,
        fit_score_at_mql,
        engagement_score_at_mql,
        intent_score_at_mql,
        negative_score_at_mql,
        fit_score_at_mql >= fit_gate as is_fit_gate_passed_at_mql,
        fit_score_at_mql >= fit_gate
        and fit_score_at_mql + engagement_score_at_mql + intent_score_at_mql + negative_score_at_mql >= mql_threshold
            as is_mql_eligible_at_mql,
        scored_events_before_mql
    from components

)

select * from final
