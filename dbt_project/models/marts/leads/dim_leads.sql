{#-
    One row per live lead (not deleted, not merged away): who it is, where it came
    from, where it stands and how it scores. No emails and no names of people
    (only the email domain): this relation is published to BI.

    current_stage (contract section 2): while the lead's last cycle is open, the
    furthest stage that cycle reached (opportunity, sql, sal, else mql), so a
    `Working - Contacted` inside the cycle does not move the lead back; otherwise the
    stage of its current stage interval (the cycle's outcome, or the stage its
    status maps to).
-#}
with

leads as (

    select * from {{ ref('int_lead_attributes') }}

),

current_stages as (

    select
        lead_id,
        stage as current_stage
    from {{ ref('fct_lead_stage_history') }}
    where is_current

),

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

cycle_counts as (

    select
        lead_id,
        count(*) as cycle_count,
        max(cycle_number) as last_cycle_number
    from cycles
    group by lead_id

),

open_cycle_stages as (

    select
        cycles.lead_id,
        case
            when cycles.opportunity_id is not null or cycles.opportunity_created_at is not null then 'opportunity'
            when cycles.sql_at is not null then 'sql'
            when cycles.sal_at is not null then 'sal'
            else 'mql'
        end as furthest_stage
    from cycles
    inner join cycle_counts
        on cycles.lead_id = cycle_counts.lead_id
            and cycles.cycle_number = cycle_counts.last_cycle_number
    where cycles.outcome = 'open'

),

scores as (

    select * from {{ ref('int_lead_scores') }}

),

final as (

    select
        leads.lead_id,
        leads.account_id,
        leads.owner_id,
        leads.channel,
        leads.lead_source,
        leads.email_domain,
        leads.title,
        leads.persona,
        leads.seniority,
        leads.industry,
        leads.employee_band,
        leads.country,
        coalesce(open_cycle_stages.furthest_stage, current_stages.current_stage, 'lead') as current_stage,
        coalesce(cycle_counts.cycle_count, 0) as cycle_count,
        scores.fit_score,
        scores.engagement_score,
        scores.intent_score,
        scores.negative_score,
        scores.total_score,
        leads.created_at,
        leads.current_status,
        leads.revenue_band,
        leads.is_email_valid,
        leads.is_personal_email_domain,
        leads.is_competitor_domain,
        leads.is_channel_mapped,
        leads.is_converted,
        leads.converted_opportunity_id
    from leads
    left join current_stages
        on leads.lead_id = current_stages.lead_id
    left join cycle_counts
        on leads.lead_id = cycle_counts.lead_id
    left join open_cycle_stages
        on leads.lead_id = open_cycle_stages.lead_id
    left join scores
        on leads.lead_id = scores.lead_id

)

select * from final
