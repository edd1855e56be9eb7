{#-
    Program progressions that score (seeds/program_status_rules.csv: program channel
    and progression status -> activity_kind): webinar registrations, webinar
    attendance and event attendance, one row per Marketo person, program and kind
    at the first time the person reached that status.

    Webinar attendance scores by minutes: quantity is program_membership's
    attended_minutes_c (webinar_attended_default_minutes when the MAP did not record
    them); activity_points gives the points per minute and webinar_attended_max_points
    caps them (int_scoring_person_events). A membership whose status scores but
    without a progression activity (the activity was not exported) counts at its
    membership date.
-#}
with

settings as (

    select * from {{ ref('int_settings') }}

),

progressions as (

    select
        original_marketo_lead_id,
        primary_attribute_value_id as program_id,
        new_status_key as status_key,
        activity_at
    from {{ ref('int_events__program_status_changes') }}

),

memberships as (

    select
        original_marketo_lead_id,
        program_id,
        progression_status_key as status_key,
        membership_at,
        attended_minutes
    from {{ ref('int_map__program_memberships') }}

),

programs as (

    select
        program_id,
        lower(program_channel) as channel_key
    from {{ ref('int_map__programs') }}

),

status_rules as (

    select
        {{ picklist_key('program_channel') }} as channel_key,
        {{ picklist_key('progression_status') }} as status_key,
        activity_kind
    from {{ ref('program_status_rules') }}

),

from_activities as (

    select
        progressions.original_marketo_lead_id,
        progressions.program_id,
        status_rules.activity_kind,
        min(progressions.activity_at) as scored_at
    from progressions
    inner join programs
        on progressions.program_id = programs.program_id
    inner join status_rules
        on programs.channel_key = status_rules.channel_key
            and progressions.status_key = status_rules.status_key
    where progressions.original_marketo_lead_id is not null
    group by all

),

from_memberships as (

    select
        memberships.original_marketo_lead_id,
        memberships.program_id,
        status_rules.activity_kind,
        min(memberships.membership_at) as scored_at
    from memberships
    inner join programs
        on memberships.program_id = programs.program_id
    inner join status_rules
        on programs.channel_key = status_rules.channel_key
            and memberships.status_key = status_rules.status_key
    where memberships.membership_at is not null
    group by all

),

combined as (

    select
        *,
        'progression' as evidence
    from from_activities

    union all

    select
        from_memberships.*,
        'membership' as evidence
    from from_memberships
    anti join from_activities
        on from_memberships.original_marketo_lead_id = from_activities.original_marketo_lead_id
            and from_memberships.program_id = from_activities.program_id
            and from_memberships.activity_kind = from_activities.activity_kind

),

final as (

    select
        'program:' || cast(combined.program_id as string) || ':' || combined.activity_kind || ':'
        || cast(combined.original_marketo_lead_id as string) as activity_key,
        combined.original_marketo_lead_id,
        combined.program_id,
        combined.activity_kind,
        combined.scored_at,
        case
            when combined.activity_kind = 'webinar_attended_minute'
                then coalesce(memberships.attended_minutes, settings.webinar_attended_default_minutes)
            else 1
        end as quantity,
        combined.evidence
    from combined
    cross join settings
    left join memberships
        on combined.original_marketo_lead_id = memberships.original_marketo_lead_id
            and combined.program_id = memberships.program_id

)

select * from final
