with

leads as (

    select * from {{ ref('base_marketo__lead') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as marketo_lead_id,
        lower(trim(email)) as email,
        {{ email_domain('email') }} as email_domain,
        {{ is_valid_email('email') }} as is_email_valid,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('company') }} as company,
        {{ clean_text('title') }} as title,
        {{ clean_text('industry') }} as industry,
        number_of_employees,
        annual_revenue,
        {{ clean_text('country') }} as country,
        {{ clean_text('lead_source') }} as lead_source,
        acquisition_program_id,
        nullif(trim(sfdc_lead_id), '') as sfdc_lead_id,
        nullif(trim(sfdc_contact_id), '') as sfdc_contact_id,
        nullif(trim(sfdc_account_id), '') as sfdc_account_id,
        created_at,
        updated_at,
        coalesce(unsubscribed, false) as is_unsubscribed,
        coalesce(email_invalid, false) as is_email_invalid,
        _fivetran_synced as synced_at
    from leads

)

select * from renamed
