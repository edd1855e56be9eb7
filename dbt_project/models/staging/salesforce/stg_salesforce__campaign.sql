with

campaigns as (

    select * from {{ ref('base_salesforce__campaign') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as campaign_id,
        {{ clean_text('name') }} as campaign_name,
        {{ clean_text('type') }} as campaign_type,
        {{ picklist_key('type') }} as campaign_type_key,
        {{ clean_text('status') }} as campaign_status,
        start_date,
        end_date,
        budgeted_cost,
        actual_cost,
        parent_id as parent_campaign_id,
        _fivetran_synced as synced_at
    from campaigns

)

select * from renamed
