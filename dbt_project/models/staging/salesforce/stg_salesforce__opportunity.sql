with

opportunities as (

    select * from {{ ref('base_salesforce__opportunity') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as opportunity_id,
        account_id,
        owner_id,
        campaign_id,
        {{ clean_text('name') }} as opportunity_name,
        {{ clean_text('stage_name') }} as stage_name,
        amount,
        probability,
        {{ clean_text('forecast_category') }} as forecast_category,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        close_date,
        created_date as created_at,
        {{ clean_text('lead_source') }} as lead_source,
        {{ clean_text('type') }} as opportunity_type,
        _fivetran_synced as synced_at
    from opportunities

)

select * from renamed
