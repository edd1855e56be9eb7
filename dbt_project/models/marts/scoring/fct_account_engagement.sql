{#-
    One row per account as of the run (contract section 3): every CRM account, plus
    every company email domain whose people no CRM account claims
    (account_id 'domain:<domain>', is_crm_account false).

    * People: the CRM contacts, and the live leads that did not convert into a live
      contact (a converted lead is its contact). A contact belongs to its account; a
      lead to its account in int_lead_attributes (converted account, else the CRM
      account whose website domain is the lead's email domain), else to its company
      domain. Personal and competitor email domains make no account.
    * Department: the persona of the person's title (title rules), else of a
      contact's department field; people whose department is unknown or who are
      students or consultants engage but count in no department.
    * Engaged: at least one scoring event (int_scoring_person_events) in the
      account_window_days before the as-of. engaged_contacts_30d counts engaged
      people (contacts and leads), engaged_departments_30d their distinct departments.
    * account_score: the engagement and intent points of all the account's people,
      decayed at the as-of like the lead scores.
    * is_buying_committee: at least buying_committee_min_contacts engaged people or
      buying_committee_min_departments engaged departments (seeds).
-#}
with

accounts as (

    select
        account_id,
        account_name,
        website_domain
    from {{ ref('stg_salesforce__account') }}

),

contacts as (

    select
        contact_id,
        account_id,
        email_domain,
        title,
        department
    from {{ ref('stg_salesforce__contact') }}

),

leads as (

    select
        lead_attributes.lead_id,
        lead_attributes.account_id,
        lead_attributes.email_domain,
        lead_attributes.title,
        lead_attributes.persona,
        lead_attributes.is_personal_email_domain,
        lead_attributes.is_competitor_domain,
        crm_leads.converted_contact_id
    from {{ ref('int_lead_attributes') }} as lead_attributes
    inner join {{ ref('stg_salesforce__lead') }} as crm_leads
        on lead_attributes.lead_id = crm_leads.lead_id

),

lead_fit as (

    select
        lead_id,
        fit_score
    from {{ ref('int_lead_fit_scores') }}

),

titles as (

    select
        title,
        persona
    from {{ ref('int_title_classifications') }}

),

persona_rules as (

    select
        priority,
        title_pattern,
        persona
    from {{ ref('title_persona_rules') }}

),

domain_rules as (

    select
        lower(trim(email_domain)) as email_domain,
        rule_type
    from {{ ref('email_domain_rules') }}

),

events as (

    select
        person_id,
        scored_at,
        score_component,
        base_points
    from {{ ref('int_scoring_person_events') }}

),

settings as (

    select * from {{ ref('int_scoring_settings') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

accounts_by_domain as (

    select
        website_domain,
        arg_min(account_id, account_id) as account_id
    from accounts
    where website_domain is not null
    group by website_domain

),

department_personas as (

    select
        departments.department,
        arg_min(persona_rules.persona, persona_rules.priority) as persona
    from (
        select distinct department from contacts
        where department is not null
    ) as departments
    inner join persona_rules
        on regexp_matches(departments.department, persona_rules.title_pattern, 'i')
    group by departments.department

),

contact_people as (

    select
        contacts.contact_id as person_id,
        'contact' as person_type,
        coalesce(
            contacts.account_id,
            accounts_by_domain.account_id,
            case when domain_rules.rule_type is null then 'domain:' || contacts.email_domain end
        ) as account_id,
        coalesce(nullif(titles.persona, 'other'), department_personas.persona, 'other') as department,
        cast(null as double) as fit_score
    from contacts
    left join titles
        on contacts.title = titles.title
    left join department_personas
        on contacts.department = department_personas.department
    left join accounts_by_domain
        on contacts.email_domain = accounts_by_domain.website_domain
    left join domain_rules
        on contacts.email_domain = domain_rules.email_domain

),

lead_people as (

    select
        leads.lead_id as person_id,
        'lead' as person_type,
        coalesce(
            leads.account_id,
            case
                when not leads.is_personal_email_domain and not leads.is_competitor_domain
                    then 'domain:' || leads.email_domain
            end
        ) as account_id,
        case when leads.persona in ('unknown', 'other') then 'other' else leads.persona end as department,
        lead_fit.fit_score
    from leads
    left join lead_fit
        on leads.lead_id = lead_fit.lead_id
    anti join contacts
        on leads.converted_contact_id = contacts.contact_id

),

people as (

    select * from contact_people
    union all
    select * from lead_people

),

person_activity as (

    select
        events.person_id,
        sum(
            {{ decayed_points(
                'events.base_points', 'events.scored_at', 'run_context.as_of', 'settings.half_life_days'
            ) }}
        ) filter (where events.score_component in ('engagement', 'intent')) as activity_points,
        max(events.scored_at) as last_scored_activity_at,
        bool_or(events.scored_at >= run_context.as_of - settings.account_window_days * interval 1 day)
            as is_engaged_in_window
    from events
    cross join run_context
    cross join settings
    where events.scored_at <= run_context.as_of
        and events.scored_at > run_context.as_of - settings.max_age_days * interval 1 day
    group by events.person_id

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
    where people.account_id is not null

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
        string_agg(distinct department, ',' order by department) filter (
            where is_engaged_in_window and has_known_department
        ) as engaged_departments,
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
        cast(null as varchar) as account_name,
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
        cast(round(coalesce(per_account.activity_points, 0), 2) as double) as account_score,
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
