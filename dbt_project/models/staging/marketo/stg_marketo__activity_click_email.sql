with

activities as (

    select * from {{ ref('base_marketo__activity_click_email') }}
    where _disposition = 'staged'

),

merge_map as (

    select * from {{ ref('stg_marketo__lead_merge_map') }}

),

renamed as (

    select
        {{ marketo_activity_columns() }}
        activities.email_template_id,
        activities.link,
        activities.device,
        activities.is_mobile_device,
        activities._fivetran_synced as synced_at
    from activities
    left join merge_map
        on activities.lead_id = merge_map.losing_marketo_lead_id

)

select * from renamed
