{#-
    What a live lead is, as of now: channel (lead_source through the channel seed,
    `other` when unmapped), persona and seniority (title rules), employee and
    revenue bands, email-domain flags, and its CRM account (int_account_people: the
    converted account, else the account holding the lead's company email domain).
-#}
with

leads as (

    select * from {{ ref('int_crm__leads') }}

),

channels as (

    select
        value_key,
        channel
    from {{ ref('int_channel_mappings') }}
    where kind = 'lead_source'

),

titles as (

    select * from {{ ref('int_title_classifications') }}

),

employee_bands as (

    select * from {{ ref('employee_bands') }}

),

revenue_bands as (

    select * from {{ ref('revenue_bands') }}

),

domain_rules as (

    select
        lower(trim(email_domain)) as email_domain,
        rule_type
    from {{ ref('email_domain_rules') }}

),

lead_accounts as (

    select
        person_id as lead_id,
        crm_account_id
    from {{ ref('int_account_people') }}
    where person_type = 'lead'

),

final as (

    select
        leads.lead_id,
        leads.owner_id,
        leads.created_at,
        leads.status as current_status,
        leads.lead_source,
        coalesce(channels.channel, 'other') as channel,
        channels.channel is not null as is_channel_mapped,
        leads.email_domain,
        leads.is_email_valid,
        coalesce(domain_rules.rule_type = 'personal', false) as is_personal_email_domain,
        coalesce(domain_rules.rule_type = 'competitor', false) as is_competitor_domain,
        leads.title,
        coalesce(titles.persona, 'unknown') as persona,
        coalesce(titles.seniority, 'unknown') as seniority,
        leads.company,
        leads.industry,
        leads.number_of_employees,
        coalesce(employee_bands.employee_band, 'unknown') as employee_band,
        leads.annual_revenue,
        coalesce(revenue_bands.revenue_band, 'unknown') as revenue_band,
        leads.country,
        lead_accounts.crm_account_id as account_id,
        leads.is_converted,
        leads.converted_opportunity_id,
        leads.rejection_reason as current_rejection_reason,
        leads.has_bant_budget,
        leads.has_bant_authority,
        leads.has_bant_need,
        leads.has_bant_timeline
    from leads
    left join channels
        on leads.lead_source_key = channels.value_key
    left join titles
        on leads.title = titles.title
    left join employee_bands
        on leads.number_of_employees between employee_bands.min_employees
            and coalesce(employee_bands.max_employees, 2147483647)
    left join revenue_bands
        on leads.annual_revenue >= revenue_bands.min_revenue
            and (revenue_bands.max_revenue is null or leads.annual_revenue < revenue_bands.max_revenue)
    left join domain_rules
        on leads.email_domain = domain_rules.email_domain
    left join lead_accounts
        on leads.lead_id = lead_accounts.lead_id

)

select * from final
