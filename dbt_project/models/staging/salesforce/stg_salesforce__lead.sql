with

leads as (

    select * from {{ ref('base_salesforce__lead') }}
    where _disposition = 'staged'

),

renamed as (

    select
        id as lead_id,
        owner_id,
        created_date as created_at,
        last_modified_date as last_modified_at,
        {{ clean_text('status') }} as status,
        {{ picklist_key('status') }} as status_key,
        {{ clean_text('lead_source') }} as lead_source,
        {{ picklist_key('lead_source') }} as lead_source_key,
        lower(trim(email)) as email,
        {{ email_domain('email') }} as email_domain,
        {{ is_valid_email('email') }} as is_email_valid,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('title') }} as title,
        {{ clean_text('company') }} as company,
        {{ clean_text('industry') }} as industry,
        number_of_employees,
        annual_revenue,
        {{ clean_text('country') }} as country,
        coalesce(is_converted, false) as is_converted,
        converted_date,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,
        {{ clean_text('rejection_reason_c') }} as rejection_reason,
        {{ picklist_key('rejection_reason_c') }} as rejection_reason_key,
        bant_budget_c as has_bant_budget,
        bant_authority_c as has_bant_authority,
        bant_need_c as has_bant_need,
        bant_timeline_c as has_bant_timeline,
        _fivetran_synced as synced_at
    from leads

)

select * from renamed
