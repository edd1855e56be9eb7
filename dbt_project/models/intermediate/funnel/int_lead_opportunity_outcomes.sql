{#-
    Each live lead converted to an opportunity, with that opportunity's creation and
    close (int_opportunity_outcomes): the outcomes keyed by the converted lead, so the
    lead chain's digest (int_lead_handoff_events) sees an opportunity's change in the
    bucket of the lead converted to it, not in every bucket. A lead whose opportunity is
    not (or no longer) live has no row.
-#}
with

leads as (

    select
        lead_id,
        converted_opportunity_id,
        converted_date
    from {{ ref('int_crm__leads') }}
    where converted_opportunity_id is not null

),

opportunities as (

    select * from {{ ref('int_opportunity_outcomes') }}

),

final as (

    select
        leads.lead_id,
        leads.converted_opportunity_id,
        leads.converted_date,
        opportunities.created_at as opportunity_created_at,
        opportunities.won_at,
        opportunities.lost_at
    from leads
    inner join opportunities
        on leads.converted_opportunity_id = opportunities.opportunity_id

)

select * from final
