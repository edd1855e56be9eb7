with

users as (

    select * from {{ ref('base_salesforce__user') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as user_id,
        {{ clean_text('name') }} as user_name,
        lower(trim(email)) as email,
        {{ clean_text('title') }} as title,
        {{ clean_text('department') }} as department,
        manager_id,
        user_role_id,
        {{ clean_text('time_zone_sid_key') }} as time_zone,
        coalesce(is_active, false) as is_active,
        _fivetran_synced as synced_at
    from users

)

select * from renamed
