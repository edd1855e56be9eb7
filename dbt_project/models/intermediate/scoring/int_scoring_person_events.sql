{#-
    Every scoring event of a Marketo person linked to the CRM, with its undecayed
    points: one row per classified activity and program progression that scores
    (int_scoring_event_owners: the person, its lead or contact) and per pricing-repeat
    bonus.

    * Points: seeds/activity_points.csv per activity_kind, times quantity (attended
      minutes for webinars, capped at webinar_attended_max_points: the cap is per event,
      before any sum, so decayed sums stay multiplicative); kinds without a points row
      (a lone email open) or with 0 points score nothing and are left out.
    * Pricing repeat: a pricing_view with another pricing_view of the same lead (or
      contact) at most pricing_repeat_window_days earlier adds a pricing_repeat_visit.

    Incremental by bucket of score_owner_id, the lead else the contact
    (macros/incremental/bucketed_incremental.sql): a bucket is rebuilt when one of its
    owners' activities or links changed, or when activity_points, the settings or this
    code changed (every bucket). Decay is applied where the points are summed at a point
    in time (int_scoring_decayed_points at the as-of, int_cycle_scores_at_mql at each
    mql_at, fct_account_engagement).
-#}
{{ bucketed_incremental('score_owner_id') }}

with

{{ bucket_digests('score_owner_id') }}

settings as (

    select * from {{ ref('int_settings') }}

),

activity_points as (

    select
        activity_kind,
        score_component,
        points
    from {{ ref('activity_points') }}

),

owned_activities as (

    select
        owners.activity_key,
        owners.marketo_lead_id,
        owners.lead_id,
        owners.contact_id,
        owners.score_owner_id,
        owners.scored_at,
        owners.activity_kind,
        owners.quantity
    from {{ ref('int_scoring_event_owners') }} as owners
    {{- in_rebuilt_buckets('owners.score_owner_id') }}

),

linked as (

    select owned_activities.*
    from owned_activities
    inner join activity_points
        on owned_activities.activity_kind = activity_points.activity_kind
            and activity_points.points <> 0

),

pricing_views as (

    select
        *,
        lag(scored_at) over (
            partition by score_owner_id
            order by scored_at, activity_key
        ) as previous_pricing_view_at
    from linked
    where activity_kind = 'pricing_view'

),

pricing_repeats as (

    select
        'repeat:' || pricing_views.activity_key as activity_key,
        pricing_views.marketo_lead_id,
        pricing_views.lead_id,
        pricing_views.contact_id,
        pricing_views.score_owner_id,
        pricing_views.scored_at,
        'pricing_repeat_visit' as activity_kind,
        1.0 as quantity
    from pricing_views
    cross join settings
    where pricing_views.previous_pricing_view_at
        >= pricing_views.scored_at - settings.pricing_repeat_window_days * interval 1 day

),

events as (

    select * from linked
    union all
    select * from pricing_repeats

),

final as (

    select
        events.activity_key,
        events.marketo_lead_id,
        events.lead_id,
        events.contact_id,
        coalesce(events.contact_id, events.lead_id) as person_id,
        events.score_owner_id,
        events.scored_at,
        events.activity_kind,
        activity_points.score_component,
        case
            when events.activity_kind = 'webinar_attended_minute'
                then least(activity_points.points * events.quantity, settings.webinar_attended_max_points)
            else activity_points.points * events.quantity
        end as base_points
    from events
    inner join activity_points
        on events.activity_kind = activity_points.activity_kind
    cross join settings

)

{{ select_with_bucket_digest('final', 'score_owner_id') }}
