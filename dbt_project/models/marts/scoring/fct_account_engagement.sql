{#-
    One row per account as of the run (contract section 3): every CRM account, plus
    every company email domain whose people no CRM account claims
    (account_id 'domain:<domain>', is_crm_account false).

    * People and their account and department: int_account_people (one rule for
      leads and contacts; a converted lead is its contact).
    * Engaged: at least one scoring event (int_scoring_person_events) in the
      account_window_days before the as-of. engaged_contacts_30d counts engaged
      people (contacts and leads), engaged_departments_30d their distinct departments;
      people whose department is other, student or consultant engage but count in
      no department.
    * account_score: the engagement and intent points of all the account's people,
      decayed at the as-of like the lead scores: int_scoring_decayed_points' stored sums
      rescaled to the as-of (decayed_points, the one decay formula).
    * is_buying_committee: at least buying_committee_min_contacts engaged people or
      buying_committee_min_departments engaged departments (seeds).
-#}
with

accounts as (

    select
        account_id,
        account_name,
        website_domain
    from {{ ref('int_crm__accounts') }}

),

account_members as (

    select
        person_id,
        person_type,
        account_id,
        department
    from {{ ref('int_account_people') }}
    where is_counted_in_account
        and account_id is not null

),

lead_fit as (

    select
        lead_id,
        fit_score
    from {{ ref('int_lead_fit_scores') }}

),

stored_points as (

    select
        person_id,
        decayed_to,
        engagement_points + intent_points as activity_points,
        last_scored_activity_at
    from {{ ref('int_scoring_decayed_points') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

people as (

    select
        account_members.account_id,
        account_members.person_id,
        account_members.person_type,
        account_members.department,
        lead_fit.fit_score
    from account_members
    left join lead_fit
        on account_members.person_id = lead_fit.lead_id
            and account_members.person_type = 'lead'

),

person_activity as (

    select
        stored_points.person_id,
        sum(
            {{ decayed_points(
                'stored_points.activity_points', 'stored_points.decayed_to', 'run_context.as_of',
                'settings.engagement_half_life_days'
            ) }}
        ) as activity_points,
        max(stored_points.last_scored_activity_at) as last_scored_activity_at,
        max(stored_points.last_scored_activity_at) >= run_context.as_of - settings.account_window_days * interval 1 day
            as is_engaged_in_window
    from stored_points
    cross join run_context
    cross join settings
    group by stored_points.person_id, run_context.as_of, settings.account_window_days

),

account_people as (

    select
        people.account_id,
        people.person_id,
        people.person_type,
        people.department,
        people.fit_score,
        coalesce(person_activity.activity_points, 0) as activity_points,
        person_activity.last_scored_activity_at,
        coalesce(person_activity.is_engaged_in_window, false) as is_engaged_in_window,
        people.department not in ('other', 'student', 'consultant') as has_known_department
    from people
    left join person_activity
        on people.person_id = person_activity.person_id

),

per_account as (

    select
        account_id,
        count(*) as people,
        count(*) filter (where is_engaged_in_window) as engaged_contacts_30d,
        count(distinct department) filter (where is_engaged_in_window and has_known_department)
            as engaged_departments_30d,
        count(*) filter (where is_engaged_in_window and person_type = 'contact') as engaged_crm_contacts_30d,
        count(*) filter (where is_engaged_in_window and person_type = 'lead') as engaged_leads_30d,
        {{ ordered_string_agg('department', "','", 'department', distinct=true,
            where='is_engaged_in_window and has_known_department') }} as engaged_departments,
        sum(activity_points) as activity_points,
        max(last_scored_activity_at) as last_scored_activity_at,
        max(fit_score) as best_lead_fit_score
    from account_people
    group by account_id

),

all_accounts as (

    select
        account_id,
        account_name,
        website_domain as account_domain,
        true as is_crm_account
    from accounts

    union all

    select
        per_account.account_id,
        cast(null as string) as account_name,
        substr(per_account.account_id, length('domain:') + 1) as account_domain,
        false as is_crm_account
    from per_account
    where per_account.account_id like 'domain:%'
        and per_account.account_id not in (select accounts.account_id from accounts)

),

final as (

    select
        all_accounts.account_id,
        run_context.as_of,
        coalesce(per_account.engaged_contacts_30d, 0) as engaged_contacts_30d,
        coalesce(per_account.engaged_departments_30d, 0) as engaged_departments_30d,
        {{ rounded('coalesce(per_account.activity_points, 0)', 2) }} as account_score,
        coalesce(per_account.engaged_contacts_30d, 0) >= settings.buying_committee_min_contacts
        or coalesce(per_account.engaged_departments_30d, 0) >= settings.buying_committee_min_departments
            as is_buying_committee,
        all_accounts.is_crm_account,
        all_accounts.account_name,
        all_accounts.account_domain,
        coalesce(per_account.people, 0) as people,
        coalesce(per_account.engaged_crm_contacts_30d, 0) as engaged_crm_contacts_30d,
        coalesce(per_account.engaged_leads_30d, 0) as engaged_leads_30d,
        per_account.engaged_departments,
        per_account.last_scored_activity_at,
        per_account.best_lead_fit_score,
        settings.account_window_days
    from all_accounts
    cross join run_context
    cross join settings
    left join per_account
        on all_accounts.account_id = per_account.account_id

)

select * from final
