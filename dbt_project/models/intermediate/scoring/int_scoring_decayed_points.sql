{#-
    Every scored person's engagement and intent points decayed to an as-of
    (`decayed_to`): one row per score owner (the lead, else the contact: the bucket key
    of int_scoring_person_events) and person_id (the contact, else the lead: whom the
    account roll-up counts), the sums before rounding, so int_lead_scores (per lead) and
    fct_account_engagement (per person) rescale them to tonight's as-of instead of
    decaying every event again (exponential decay is multiplicative: a sum decayed to
    t0, times 2^(-(t1 - t0) / half-life), is the sum decayed to t1).

    * Counted: events scored at or before the as-of and less than
      engagement_max_age_days old (the lead scores' rule);
    * recompute_at: the first as-of at which a rescale would be wrong: a counted event
      leaves the window (its scored_at + engagement_max_age_days) or a stored event after
      the as-of enters it; null when neither can happen (every event too old). The
      account window (account_window_days) needs no recompute: it is read from
      last_scored_activity_at.

    Incremental by bucket of score_owner_id (macros/incremental/bucketed_incremental.sql).
    A bucket is recomputed from its events when int_scoring_person_events rebuilt it
    (new, late or re-linked events), when the settings (half-life, maximum age) or this
    code changed (every bucket: the digest, scoring_decay_digest_inputs, holds them), when
    the as-of passed its recompute_at, or when the as-of moved back before decayed_to.
    Every other bucket keeps its stored sums and decayed_to: the as-of is not in the digest.
-#}
{{ bucketed_incremental('score_owner_id', digest_inputs='scoring_decay_digest_inputs') }}

with

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

{{ bucket_digests(
    'score_owner_id',
    inputs=scoring_decay_digest_inputs(),
    also_rebuild='stored.decayed_to > (select run_context.as_of from run_context)'
        ~ ' or stored.recompute_at <= (select run_context.as_of from run_context)'
) }}

settings as (

    select * from {{ ref('int_settings') }}

),

events as (

    select
        events.score_owner_id,
        events.lead_id,
        events.person_id,
        events.scored_at,
        events.score_component,
        events.base_points
    from {{ ref('int_scoring_person_events') }} as events
    {{- in_rebuilt_buckets('events.score_owner_id') }}

),

aged as (

    select
        events.score_owner_id,
        events.lead_id,
        events.person_id,
        events.scored_at,
        events.score_component,
        {{ decayed_points(
            'events.base_points', 'events.scored_at', 'run_context.as_of', 'settings.engagement_half_life_days'
        ) }} as decayed_points,
        events.scored_at > run_context.as_of as is_after_as_of,
        events.scored_at <= run_context.as_of
        and events.scored_at > run_context.as_of - settings.engagement_max_age_days * interval 1 day as is_counted,
        events.scored_at + settings.engagement_max_age_days * interval 1 day as leaves_window_at
    from events
    cross join run_context
    cross join settings

),

final as (

    select
        aged.score_owner_id,
        aged.lead_id,
        aged.person_id,
        run_context.as_of as decayed_to,
        coalesce(sum(aged.decayed_points) filter (where aged.is_counted and aged.score_component = 'engagement'), 0)
            as engagement_points,
        coalesce(sum(aged.decayed_points) filter (where aged.is_counted and aged.score_component = 'intent'), 0)
            as intent_points,
        max(aged.scored_at) filter (where aged.is_counted) as last_scored_activity_at,
        count(*) filter (where aged.is_counted) as scored_events,
        least(
            min(aged.leaves_window_at) filter (where aged.is_counted),
            min(aged.scored_at) filter (where aged.is_after_as_of)
        ) as recompute_at
    from aged
    cross join run_context
    group by aged.score_owner_id, aged.lead_id, aged.person_id, run_context.as_of

)

{{ select_with_bucket_digest('final', 'score_owner_id') }}
