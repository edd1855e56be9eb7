{#-
    Picklist values no seed maps, counted and never dropped: lead statuses (stage
    `unmapped`), lead sources, campaign types and Marketo program channels (channel
    `other`, program channels as touches of int_touches), rejection reason
    labels (code `unmapped`). Add a row to the seed and the next run maps them.
-#}
with

statuses as (

    select
        'lead_status_map' as seed,
        'status' as picklist,
        status as picklist_value,
        count(*) as rows_affected,
        count(distinct lead_id) as leads_affected
    from {{ ref('int_lead_status_changes') }}
    where not is_stage_mapped
    group by status

),

lead_sources as (

    select
        'channel_map' as seed,
        'lead_source' as picklist,
        coalesce(lead_source, '(empty)') as picklist_value,
        count(*) as rows_affected,
        count(*) as leads_affected
    from {{ ref('int_lead_attributes') }}
    where not is_channel_mapped
    group by coalesce(lead_source, '(empty)')

),

campaign_types as (

    select
        'channel_map' as seed,
        'campaign_type' as picklist,
        coalesce(campaign_type, '(empty)') as picklist_value,
        count(*) as rows_affected,
        cast(null as bigint) as leads_affected
    from {{ ref('int_campaign_spend') }}
    where not is_channel_mapped
    group by coalesce(campaign_type, '(empty)')

),

program_channels as (

    select
        'channel_map' as seed,
        'program_channel' as picklist,
        coalesce(programs.program_channel, '(empty)') as picklist_value,
        count(*) as rows_affected,
        cast(null as bigint) as leads_affected
    from {{ ref('int_map__programs') }} as programs
    left join {{ ref('int_channel_mappings') }} as channels
        on channels.kind = 'program_channel'
            and {{ picklist_key('programs.program_channel') }} = channels.value_key
    where channels.channel is null
    group by coalesce(programs.program_channel, '(empty)')

),

rejection_reasons as (

    select
        'rejection_reasons' as seed,
        'rejection_reason_c' as picklist,
        rejection_reason_label as picklist_value,
        count(*) as rows_affected,
        count(distinct lead_id) as leads_affected
    from {{ ref('int_lead_cycles') }}
    where rejection_reason = 'unmapped'
    group by rejection_reason_label

),

final as (

    select * from statuses
    union all
    select * from lead_sources
    union all
    select * from campaign_types
    union all
    select * from program_channels
    union all
    select * from rejection_reasons

)

select * from final
