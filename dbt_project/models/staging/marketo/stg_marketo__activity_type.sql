with

types as (

    select * from {{ ref('base_marketo__activity_type') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as activity_type_id,
        {{ clean_text('name') }} as activity_type_name,
        {{ clean_text('description') }} as description,
        _fivetran_synced as synced_at
    from types

)

select * from renamed
