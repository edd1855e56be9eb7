with

members as (

    select * from {{ ref('base_salesforce__campaign_member') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as campaign_member_id,
        campaign_id,
        lead_id,
        contact_id,
        {{ clean_text('status') }} as member_status,
        coalesce(has_responded, false) as has_responded,
        first_responded_date,
        created_date as created_at,
        _fivetran_synced as synced_at
    from members

)

select * from renamed
