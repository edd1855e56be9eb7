with

activities as (

    select * from {{ ref('base_marketo__activity_merge_leads') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as activity_id,
        lead_id as winning_marketo_lead_id,
        activity_date as activity_at,
        activity_type_id,
        campaign_id,
        merge_ids,
        master_updated,
        _fivetran_synced as synced_at
    from activities

)

select * from renamed
