{#-
    The score model's MQL definition beside the CRM's, so the two can be compared
    before either changes. One row per

    * handoff cycle (every cycle of fct_lead_cycles): `both` when the score model
      would have handed the lead off at mql_at too (fit gate passed and score_at_mql
      at or above the threshold, today's seeds), `crm_only` when it would not
      (model_gap says why: below_fit_gate or below_threshold);
    * live lead the score model says is MQL-eligible now that the CRM never handed
      off (no cycle at all): `model_only`, scored as of the run.

    score is score_at_mql for a handoff and the current total_score for a
    model_only lead; scored_at is the time it refers to. No emails and no names.
-#}
with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

scores_at_mql as (

    select * from {{ ref('int_cycle_scores_at_mql') }}

),

lead_scores as (

    select * from {{ ref('int_lead_scores') }}

),

leads as (

    select
        lead_id,
        channel,
        lead_source
    from {{ ref('int_lead_attributes') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

handoffs as (

    select
        cycles.cycle_id as comparison_id,
        case when scores_at_mql.is_mql_eligible_at_mql then 'both' else 'crm_only' end as comparison,
        true as is_crm_handoff,
        coalesce(scores_at_mql.is_mql_eligible_at_mql, false) as is_model_eligible,
        case
            when scores_at_mql.is_mql_eligible_at_mql then null
            when not scores_at_mql.is_fit_gate_passed_at_mql then 'below_fit_gate'
            else 'below_threshold'
        end as model_gap,
        cycles.lead_id,
        cycles.cycle_id,
        cycles.cycle_number,
        cycles.entry_lane,
        cycles.channel,
        cycles.lead_source,
        cycles.mql_at,
        cycles.mql_at as scored_at,
        scores_at_mql.score_at_mql as score,
        scores_at_mql.fit_score_at_mql as fit_score,
        scores_at_mql.engagement_score_at_mql as engagement_score,
        scores_at_mql.intent_score_at_mql as intent_score,
        scores_at_mql.negative_score_at_mql as negative_score,
        cast(null as timestamp) as fast_lane_signal_at,
        cycles.sales_decision,
        cycles.outcome,
        cycles.sql_at is not null as reached_sql,
        cycles.outcome = 'won' as is_won
    from cycles
    left join scores_at_mql
        on cycles.cycle_id = scores_at_mql.cycle_id

),

never_handed_off as (

    select
        lead_scores.lead_id || '-eligible' as comparison_id,
        'model_only' as comparison,
        false as is_crm_handoff,
        true as is_model_eligible,
        cast(null as string) as model_gap,
        lead_scores.lead_id,
        cast(null as string) as cycle_id,
        cast(null as bigint) as cycle_number,
        cast(null as string) as entry_lane,
        leads.channel,
        leads.lead_source,
        cast(null as timestamp) as mql_at,
        lead_scores.as_of as scored_at,
        lead_scores.total_score as score,
        lead_scores.fit_score,
        lead_scores.engagement_score,
        lead_scores.intent_score,
        lead_scores.negative_score,
        lead_scores.fast_lane_signal_at,
        cast(null as string) as sales_decision,
        cast(null as string) as outcome,
        false as reached_sql,
        false as is_won
    from lead_scores
    inner join leads
        on lead_scores.lead_id = leads.lead_id
    anti join cycles
        on lead_scores.lead_id = cycles.lead_id
    where lead_scores.is_mql_eligible

),

compared as (

    select * from handoffs
    union all
    select * from never_handed_off

),

final as (

    select
        compared.*,
        settings.fit_gate,
        settings.mql_threshold,
        run_context.as_of
    from compared
    cross join settings
    cross join run_context

)

select * from final
