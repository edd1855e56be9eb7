{#-
    Each Marketo person that names a Salesforce lead (raw_marketo.lead.sfdc_lead_id),
    with the live Salesforce lead it means: an sfdc_lead_id of a merged-away
    Salesforce lead is followed to the survivor (int_crm__lead_merges), so
    hand raises and scoring activity of that person are not lost with the merge.
    Persons whose lead is deleted (or never existed) are left out.
-#}
with

marketo_leads as (

    select
        marketo_lead_id,
        sfdc_lead_id
    from {{ ref('int_map__people') }}
    where sfdc_lead_id is not null

),

salesforce_merges as (

    select * from {{ ref('int_crm__lead_merges') }}

),

crm_leads as (

    select lead_id from {{ ref('int_crm__leads') }}

),

resolved as (

    select
        marketo_leads.marketo_lead_id,
        marketo_leads.sfdc_lead_id,
        coalesce(salesforce_merges.winning_lead_id, marketo_leads.sfdc_lead_id) as lead_id,
        salesforce_merges.winning_lead_id is not null as is_via_salesforce_merge
    from marketo_leads
    left join salesforce_merges
        on marketo_leads.sfdc_lead_id = salesforce_merges.losing_lead_id

),

final as (

    select resolved.*
    from resolved
    inner join crm_leads
        on resolved.lead_id = crm_leads.lead_id

)

select * from final
