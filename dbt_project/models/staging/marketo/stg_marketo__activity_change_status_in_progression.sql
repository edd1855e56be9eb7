with

activities as (

    select * from {{ ref('base_marketo__activity_change_status_in_progression') }}
    where _disposition = 'staged'

),

merge_map as (

    select * from {{ ref('stg_marketo__lead_merge_map') }}

),

renamed as (

    select
        {{ marketo_activity_columns() }}
        {{ clean_text('activities.old_status') }} as old_status,
        {{ clean_text('activities.new_status') }} as new_status,
        {{ picklist_key('activities.new_status') }} as new_status_key,
        coalesce(activities.success, false) as is_success,
        activities.reason,
        activities._fivetran_synced as synced_at
    from activities
    left join merge_map
        on activities.lead_id = merge_map.losing_marketo_lead_id

)

select * from renamed
