with

activities as (

    select * from {{ ref('base_marketo__activity_visit_webpage') }}
    where _disposition = 'staged'

),

merge_map as (

    select * from {{ ref('stg_marketo__lead_merge_map') }}

),

renamed as (

    select
        {{ marketo_activity_columns() }}
        activities.webpage_url,
        {{ url_path('activities.webpage_url') }} as webpage_path,
        activities.query_parameters,
        activities.referrer_url,
        activities.search_engine,
        activities.search_query,
        activities.client_ip_address,
        activities.user_agent,
        activities._fivetran_synced as synced_at
    from activities
    left join merge_map
        on activities.lead_id = merge_map.losing_marketo_lead_id

)

select * from renamed
