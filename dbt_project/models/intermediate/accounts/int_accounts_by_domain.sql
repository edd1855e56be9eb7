{#-
    Which CRM account a company email domain belongs to: one row per website domain
    of a live CRM account. When several accounts share a domain, the one created
    first holds it (ties by account id), so a lead and a contact of the same domain
    always land on the same account. Domains the email_domain_rules seed lists
    (personal mail, competitors) belong to no account: a gmail.com address says
    nothing about the company.
-#}
with

accounts as (

    select
        account_id,
        website_domain,
        created_at
    from {{ ref('int_crm__accounts') }}
    where website_domain is not null

),

domain_rules as (

    select distinct lower(trim(email_domain)) as email_domain
    from {{ ref('email_domain_rules') }}

),

ranked as (

    select
        accounts.website_domain,
        accounts.account_id,
        row_number() over (
            partition by accounts.website_domain
            order by accounts.created_at asc nulls last, accounts.account_id asc
        ) as domain_rank
    from accounts
    left join domain_rules
        on accounts.website_domain = domain_rules.email_domain
    where domain_rules.email_domain is null

),

final as (

    select
        website_domain,
        account_id
    from ranked
    where domain_rank = 1

)

select * from final
