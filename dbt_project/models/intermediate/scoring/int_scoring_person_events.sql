{#-
    Every scoring event of a Marketo person linked to the CRM, with its undecayed
    points: one row per classified activity (int_scoring_activities), per program
    progression (int_scoring_program_activities) and per pricing-repeat bonus.

    * The person: activities of merged-away Marketo leads count for the survivor
      (int_map__person_merges); the survivor links to a live CRM lead through
      sfdc_lead_id (int_marketo_lead_crm_links, which follows Salesforce merges)
      and to a live contact through sfdc_contact_id, else through the converted
      contact of its lead. People linked to neither are not scored.
    * Points: seeds/activity_points.csv per activity_kind, times quantity (attended
      minutes for webinars, capped at webinar_attended_max_points); kinds without a
      points row (a lone email open) or with 0 points score nothing and are left out.
    * Pricing repeat: a pricing_view with another pricing_view of the same lead (or
      contact) at most pricing_repeat_window_days earlier adds a pricing_repeat_visit.

    Decay is applied where the points are summed at a point in time (int_lead_scores
    at the as-of, int_cycle_scores_at_mql at each mql_at, fct_account_engagement).
-#}
with

settings as (

    select * from {{ ref('int_settings') }}

),

activities as (

    select
        activity_key,
        original_marketo_lead_id,
        scored_at,
        activity_kind,
        1.0 as quantity
    from {{ ref('int_scoring_activities') }}

    union all

    select
        activity_key,
        original_marketo_lead_id,
        scored_at,
        activity_kind,
        cast(quantity as double) as quantity
    from {{ ref('int_scoring_program_activities') }}

),

activity_points as (

    select
        activity_kind,
        score_component,
        points
    from {{ ref('activity_points') }}

),

merge_map as (

    select
        losing_marketo_lead_id,
        winning_marketo_lead_id
    from {{ ref('int_map__person_merges') }}

),

marketo_leads as (

    select
        marketo_lead_id,
        sfdc_contact_id
    from {{ ref('int_map__people') }}

),

crm_links as (

    select
        marketo_lead_id,
        lead_id
    from {{ ref('int_marketo_lead_crm_links') }}

),

crm_leads as (

    select
        lead_id,
        converted_contact_id
    from {{ ref('int_crm__leads') }}

),

contacts as (

    select contact_id
    from {{ ref('int_crm__contacts') }}

),

people as (

    select
        marketo_leads.marketo_lead_id,
        crm_leads.lead_id,
        coalesce(direct_contacts.contact_id, converted_contacts.contact_id) as contact_id
    from marketo_leads
    left join crm_links
        on marketo_leads.marketo_lead_id = crm_links.marketo_lead_id
    left join crm_leads
        on crm_links.lead_id = crm_leads.lead_id
    left join contacts as direct_contacts
        on marketo_leads.sfdc_contact_id = direct_contacts.contact_id
    left join contacts as converted_contacts
        on crm_leads.converted_contact_id = converted_contacts.contact_id
    where crm_leads.lead_id is not null
        or direct_contacts.contact_id is not null
        or converted_contacts.contact_id is not null

),

linked as (

    select
        activities.activity_key,
        people.marketo_lead_id,
        people.lead_id,
        people.contact_id,
        activities.scored_at,
        activities.activity_kind,
        activities.quantity
    from activities
    inner join activity_points
        on activities.activity_kind = activity_points.activity_kind
            and activity_points.points <> 0
    left join merge_map
        on activities.original_marketo_lead_id = merge_map.losing_marketo_lead_id
    inner join people
        on coalesce(merge_map.winning_marketo_lead_id, activities.original_marketo_lead_id) = people.marketo_lead_id

),

pricing_views as (

    select
        *,
        lag(scored_at) over (
            partition by coalesce(lead_id, contact_id)
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

select * from final
