with

programs as (

    select * from {{ ref('base_marketo__program') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as program_id,
        {{ clean_text('name') }} as program_name,
        {{ clean_text('type') }} as program_type,
        {{ clean_text('channel') }} as program_channel,
        {{ clean_text('status') }} as program_status,
        nullif(trim(sfdc_id), '') as sfdc_campaign_id,
        created_at,
        updated_at,
        _fivetran_synced as synced_at
    from programs

)

select * from renamed
