with

accounts as (

    select * from {{ ref('base_salesforce__account') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as account_id,
        {{ clean_text('name') }} as account_name,
        owner_id,
        {{ clean_text('industry') }} as industry,
        number_of_employees,
        annual_revenue,
        {{ clean_text('billing_country') }} as billing_country,
        {{ clean_text('type') }} as account_type,
        {{ picklist_key('type') }} as account_type_key,
        {{ clean_text('website') }} as website,
        {{ url_domain('website') }} as website_domain,
        created_date as created_at,
        _fivetran_synced as synced_at
    from accounts

)

select * from renamed
