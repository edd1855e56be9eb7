with

contacts as (

    select * from {{ ref('base_salesforce__contact') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as contact_id,
        account_id,
        owner_id,
        lower(trim(email)) as email,
        {{ email_domain('email') }} as email_domain,
        {{ is_valid_email('email') }} as is_email_valid,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('title') }} as title,
        {{ clean_text('department') }} as department,
        {{ clean_text('lead_source') }} as lead_source,
        {{ picklist_key('lead_source') }} as lead_source_key,
        created_date as created_at,
        _fivetran_synced as synced_at
    from contacts

)

select * from renamed
