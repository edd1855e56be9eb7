with

memberships as (

    select * from {{ ref('base_marketo__program_membership') }}
    where _disposition = 'staged'

),

merge_map as (

    select * from {{ ref('stg_marketo__lead_merge_map') }}

),

renamed as (

    select
        coalesce(merge_map.winning_marketo_lead_id, memberships.lead_id) as marketo_lead_id,
        memberships.lead_id as original_marketo_lead_id,
        memberships.program_id,
        {{ clean_text('memberships.progression_status') }} as progression_status,
        {{ picklist_key('memberships.progression_status') }} as progression_status_key,
        memberships.membership_date as membership_at,
        coalesce(memberships.reached_success, false) as reached_success,
        memberships.attended_minutes_c as attended_minutes,
        memberships._fivetran_synced as synced_at
    from memberships
    left join merge_map
        on memberships.lead_id = merge_map.losing_marketo_lead_id

)

select * from renamed
