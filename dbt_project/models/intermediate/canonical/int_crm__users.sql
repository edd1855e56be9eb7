{#-
    Canonical: Every CRM user with its role (role_key: the cleaned, lower-case role
    name; null without a role).
    The funnel reads this model, never a source's staging. A second source adds its
    staging and one `union all` branch here with these columns (ids unique across
    sources); docs/architecture.md, "Adding a source", lists them.
-#}
with

salesforce_users as (

    select
        users.user_id,
        users.user_name,
        users.email,
        users.title,
        users.department,
        users.manager_id,
        users.user_role_id,
        roles.role_name,
        roles.role_key,
        users.time_zone,
        users.is_active,
        users.synced_at
    from {{ ref('stg_salesforce__user') }} as users
    left join {{ ref('stg_salesforce__user_role') }} as roles
        on users.user_role_id = roles.user_role_id

),

unioned as (

    select * from salesforce_users

)

select * from unioned
