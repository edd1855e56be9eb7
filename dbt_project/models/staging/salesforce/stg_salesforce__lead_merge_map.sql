{#-
    Merged-away Salesforce lead id -> the lead that finally survives. A merged lead
    keeps its row with master_record_id naming the survivor; a survivor can later be
    merged itself, so chains are followed to the end. Anything that still points at
    a merged-away lead (a Marketo person's sfdc_lead_id, say) is re-attributed
    through this map.
-#}
with recursive

merged_leads as (

    select
        id as losing_lead_id,
        master_record_id as winning_lead_id
    from {{ ref('base_salesforce__lead') }}
    where _disposition = 'merged'
        and master_record_id <> id

),

resolved (losing_lead_id, winning_lead_id, hops) as (

    select
        losing_lead_id,
        winning_lead_id,
        1
    from merged_leads

    union all

    select
        resolved.losing_lead_id,
        next_merge.winning_lead_id,
        resolved.hops + 1
    from resolved
    inner join merged_leads as next_merge
        on resolved.winning_lead_id = next_merge.losing_lead_id
    where resolved.hops < 20

),

final as (

    select
        losing_lead_id,
        winning_lead_id,
        hops as merge_hops
    from resolved
    qualify row_number() over (partition by losing_lead_id order by hops desc) = 1

)

select * from final
