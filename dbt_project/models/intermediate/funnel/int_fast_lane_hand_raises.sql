{#-
    Fast-lane hand raises: Marketo form fills of a form in the fast_lane_forms seed
    (demo request, contact sales, pricing inquiry), joined to the live Salesforce
    lead through raw_marketo.lead.sfdc_lead_id (int_marketo_lead_crm_links, which
    follows Salesforce merges). Activities of merged-away Marketo leads already point
    to the survivor (staging).
-#}
with

form_fills as (

    select * from {{ ref('int_events__form_fills') }}

),

fast_lane_forms as (

    select
        {{ picklist_key('form_name') }} as form_key,
        hand_raise_type
    from {{ ref('fast_lane_forms') }}

),

crm_links as (

    select
        marketo_lead_id,
        lead_id
    from {{ ref('int_marketo_lead_crm_links') }}

),

hand_raises as (

    select
        'form:' || cast(form_fills.activity_id as string) as hand_raise_id,
        crm_links.lead_id,
        form_fills.activity_at as hand_raised_at,
        form_fills.primary_attribute_value as form_name,
        fast_lane_forms.hand_raise_type,
        form_fills.marketo_lead_id,
        form_fills.activity_id
    from form_fills
    inner join fast_lane_forms
        on lower(form_fills.primary_attribute_value) = fast_lane_forms.form_key
    inner join crm_links
        on form_fills.marketo_lead_id = crm_links.marketo_lead_id

)

select * from hand_raises
