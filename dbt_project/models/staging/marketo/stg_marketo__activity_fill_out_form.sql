with

activities as (

    select * from {{ ref('base_marketo__activity_fill_out_form') }}
    where _disposition = 'staged'

),

merge_map as (

    select * from {{ ref('stg_marketo__lead_merge_map') }}

),

renamed as (

    select
        {{ marketo_activity_columns() }}
        activities.webpage_id,
        activities.form_fields,
        activities.query_parameters,
        activities.referrer_url,
        activities._fivetran_synced as synced_at
    from activities
    left join merge_map
        on activities.lead_id = merge_map.losing_marketo_lead_id

)

select * from renamed
