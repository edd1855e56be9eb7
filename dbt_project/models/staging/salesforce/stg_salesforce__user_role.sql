with

roles as (

    select * from {{ ref('base_salesforce__user_role') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as user_role_id,
        {{ clean_text('name') }} as role_name,
        {{ picklist_key('name') }} as role_key,
        parent_role_id,
        _fivetran_synced as synced_at
    from roles

)

select * from renamed
