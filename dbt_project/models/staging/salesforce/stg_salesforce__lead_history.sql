with

history as (

    select * from {{ ref('base_salesforce__lead_history') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as lead_history_id,
        lead_id,
        created_date as changed_at,
        created_by_id as changed_by_user_id,
        {{ clean_text('field') }} as field_name,
        {{ picklist_key('field') }} as field_key,
        {{ clean_text('old_value') }} as old_value,
        {{ clean_text('new_value') }} as new_value,
        _fivetran_synced as synced_at
    from history

)

select * from renamed
