{#-
    One row per handoff cycle (contract section 3), with the score the lead had
    just before its handoff (point in time: only what happened before mql_at).
-#}
with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

scores_at_mql as (

    select * from {{ ref('int_cycle_scores_at_mql') }}

),

final as (

    select
        cycles.cycle_id,
        cycles.lead_id,
        cycles.cycle_number,
        cycles.entry_lane,
        cycles.channel,
        cycles.lead_source,
        cycles.mql_at,
        cycles.sales_decision_at,
        cycles.sales_decision,
        cycles.sal_at,
        cycles.rejected_at,
        cycles.rejection_reason,
        cycles.recycled_at,
        cycles.disqualified_at,
        cycles.sql_at,
        cycles.opportunity_id,
        cycles.opportunity_created_at,
        cycles.won_at,
        cycles.lost_at,
        cycles.amount,
        cycles.outcome,
        scores_at_mql.score_at_mql,
        scores_at_mql.fit_score_at_mql,
        cycles.owner_id,
        cycles.cohort_month,
        cycles.closed_at,
        cycles.is_sal_inferred,
        cycles.is_sql_inferred,
        cycles.has_out_of_order_source,
        cycles.rejection_reason_label,
        cycles.bant_flags_count,
        cycles.is_current_cycle
    from cycles
    left join scores_at_mql
        on cycles.cycle_id = scores_at_mql.cycle_id

)

select * from final
