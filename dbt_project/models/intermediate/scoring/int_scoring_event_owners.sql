{#-
    Every scoring activity of a Marketo person linked to the CRM, with the lead or
    contact it scores for (the keyed input of int_scoring_person_events, whose bucket
    digests hash these rows, so a merge or a new CRM link that moves an activity to
    another owner rebuilds both owners' buckets; a view on DuckDB, a table on Spark:
    reused_view_materialization).

    * The person: activities of merged-away Marketo leads count for the survivor
      (int_map__person_merges); the survivor links to a live CRM lead through
      sfdc_lead_id (int_marketo_lead_crm_links, which follows Salesforce merges)
      and to a live contact through sfdc_contact_id, else through the converted
      contact of its lead. People linked to neither are not scored.
    * score_owner_id: the lead, else the contact (the person whose pricing views are
      compared, and the bucket key of int_scoring_person_events).
-#}
{{ config(materialized=reused_view_materialization()) }}

with

activities as (

    select
        activity_key,
        original_marketo_lead_id,
        scored_at,
        activity_kind,
        1.0 as quantity
    from {{ ref('int_scoring_activities') }}

    union all

    select
        activity_key,
        original_marketo_lead_id,
        scored_at,
        activity_kind,
        cast(quantity as double) as quantity
    from {{ ref('int_scoring_program_activities') }}

),

merge_map as (

    select
        losing_marketo_lead_id,
        winning_marketo_lead_id
    from {{ ref('int_map__person_merges') }}

),

marketo_leads as (

    select
        marketo_lead_id,
        sfdc_contact_id
    from {{ ref('int_map__people') }}

),

crm_links as (

    select
        marketo_lead_id,
        lead_id
    from {{ ref('int_marketo_lead_crm_links') }}

),

crm_leads as (

    select
        lead_id,
        converted_contact_id
    from {{ ref('int_crm__leads') }}

),

contacts as (

    select contact_id
    from {{ ref('int_crm__contacts') }}

),

people as (

    select
        marketo_leads.marketo_lead_id,
        crm_leads.lead_id,
        coalesce(direct_contacts.contact_id, converted_contacts.contact_id) as contact_id
    from marketo_leads
    left join crm_links
        on marketo_leads.marketo_lead_id = crm_links.marketo_lead_id
    left join crm_leads
        on crm_links.lead_id = crm_leads.lead_id
    left join contacts as direct_contacts
        on marketo_leads.sfdc_contact_id = direct_contacts.contact_id
    left join contacts as converted_contacts
        on crm_leads.converted_contact_id = converted_contacts.contact_id
    where crm_leads.lead_id is not null
        or direct_contacts.contact_id is not null
        or converted_contacts.contact_id is not null

),

final as (

    select
        activities.activity_key,
        people.marketo_lead_id,
        people.lead_id,
        people.contact_id,
        coalesce(people.lead_id, people.contact_id) as score_owner_id,
        activities.scored_at,
        activities.activity_kind,
        activities.quantity
    from activities
    left join merge_map
        on activities.original_marketo_lead_id = merge_map.losing_marketo_lead_id
    inner join people
        on coalesce(merge_map.winning_marketo_lead_id, activities.original_marketo_lead_id) = people.marketo_lead_id

)

select * from final
