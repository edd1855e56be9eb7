{#-
    Every person an account can have, and the account each belongs to (one rule
    for leads and contacts alike):

    * People: the live CRM contacts and the live leads. A lead converted into a live
      contact is that contact (is_counted_in_account false), so no one counts twice.
    * crm_account_id: the person's own CRM account (a contact's account, a lead's
      converted account), else the account holding the person's email domain
      (int_accounts_by_domain).
    * account_id: crm_account_id, else 'domain:<email domain>' for a company domain
      (one the email_domain_rules seed does not list); null for personal and
      competitor addresses, which make no account.
    * department: the persona of the person's title (title rules), else of a
      contact's department field, else 'other'.
-#}
with

contacts as (

    select
        contact_id,
        account_id,
        email_domain,
        title,
        department
    from {{ ref('int_crm__contacts') }}

),

leads as (

    select
        lead_id,
        converted_account_id,
        converted_contact_id,
        email_domain,
        title
    from {{ ref('int_crm__leads') }}

),

accounts_by_domain as (

    select * from {{ ref('int_accounts_by_domain') }}

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

    select distinct lower(trim(email_domain)) as email_domain
    from {{ ref('email_domain_rules') }}

),

department_personas as (

    select
        departments.department,
        {{ arg_min_of('persona_rules.persona', 'persona_rules.priority') }} as persona
    from (
        select distinct department from contacts
        where department is not null
    ) as departments
    inner join persona_rules
        on {{ regexp_contains('departments.department', 'persona_rules.title_pattern', case_insensitive=true) }}
    group by departments.department

),

people as (

    select
        contact_id as person_id,
        'contact' as person_type,
        account_id as own_account_id,
        email_domain,
        title,
        department,
        true as is_counted_in_account
    from contacts

    union all

    select
        leads.lead_id as person_id,
        'lead' as person_type,
        leads.converted_account_id as own_account_id,
        leads.email_domain,
        leads.title,
        cast(null as string) as department,
        contacts.contact_id is null as is_counted_in_account
    from leads
    left join contacts
        on leads.converted_contact_id = contacts.contact_id

),

final as (

    select
        people.person_id,
        people.person_type,
        coalesce(people.own_account_id, accounts_by_domain.account_id) as crm_account_id,
        coalesce(
            people.own_account_id,
            accounts_by_domain.account_id,
            case
                when people.email_domain is not null and domain_rules.email_domain is null
                    then 'domain:' || people.email_domain
            end
        ) as account_id,
        coalesce(nullif(titles.persona, 'other'), department_personas.persona, 'other') as department,
        people.is_counted_in_account
    from people
    left join accounts_by_domain
        on people.email_domain = accounts_by_domain.website_domain
    left join domain_rules
        on people.email_domain = domain_rules.email_domain
    left join titles
        on people.title = titles.title
    left join department_personas
        on people.department = department_personas.department

)

select * from final
