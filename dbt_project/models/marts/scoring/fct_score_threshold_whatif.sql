{#-
    Threshold what-if: for each candidate MQL threshold (whatif_threshold_min to
    whatif_threshold_max by whatif_threshold_step), what the score rule
    (fit_score_at_mql >= fit_gate and score_at_mql >= threshold) would have kept of
    the handoffs that happened: how many handoffs, and what share of the handoffs,
    acceptances, SQLs and won deals. eligible_leads_now counts the live leads the
    same rule would make MQL-eligible today (current scores), the handoffs that the
    threshold would add going forward.

    suggested_threshold (same on every row) is what the closed-won data suggests:
    the median score_at_mql of the latest threshold_suggestion_won_cycles won cycles
    (by won_at; fewer when fewer have been won, null when none).
    is_suggested_threshold marks the highest candidate at or below it (none when it is below every candidate), and
    is_current_threshold the candidate equal to today's mql_threshold.
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

settings as (

    select * from {{ ref('int_settings') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

grid as (

    select
        whatif_threshold_min as grid_min,
        whatif_threshold_step as grid_step,
        cast(floor((whatif_threshold_max - whatif_threshold_min) / whatif_threshold_step) as integer) as last_index
    from settings

),

candidates as (

    select
        cast(grid_range.candidate_index as integer) as candidate_index,
        grid.grid_min + grid_range.candidate_index * grid.grid_step as threshold
    from grid,
        lateral {{ series('0', 'grid.last_index') }} as grid_range (candidate_index)

),

scored_cycles as (

    select
        cycles.cycle_id,
        cycles.sales_decision = 'accepted' as is_accepted,
        cycles.sql_at is not null as is_sql,
        cycles.outcome = 'won' as is_won,
        cycles.won_at,
        scores_at_mql.score_at_mql,
        scores_at_mql.fit_score_at_mql >= settings.fit_gate as is_fit_gate_passed,
        -- the highest candidate the score reaches (-1: none)
        case
            when scores_at_mql.score_at_mql < grid.grid_min then -1
            else least(
                    cast(floor((scores_at_mql.score_at_mql - grid.grid_min) / grid.grid_step) as integer),
                    grid.last_index
                )
        end as reached_index
    from cycles
    inner join scores_at_mql
        on cycles.cycle_id = scores_at_mql.cycle_id
    cross join settings
    cross join grid
    where scores_at_mql.score_at_mql is not null

),

totals as (

    select
        count(*) as total_handoffs,
        count(*) filter (where is_accepted) as total_accepted,
        count(*) filter (where is_sql) as total_sqls,
        count(*) filter (where is_won) as total_won
    from scored_cycles

),

cycles_per_index as (

    select
        reached_index,
        count(*) as handoffs,
        count(*) filter (where is_accepted) as accepted,
        count(*) filter (where is_sql) as sqls,
        count(*) filter (where is_won) as won
    from scored_cycles
    where is_fit_gate_passed
    group by reached_index

),

leads_per_index as (

    select
        case
            when lead_scores.total_score < grid.grid_min then -1
            else least(
                    cast(floor((lead_scores.total_score - grid.grid_min) / grid.grid_step) as integer), grid.last_index
                )
        end as reached_index,
        count(*) as leads
    from lead_scores
    cross join grid
    where lead_scores.is_fit_gate_passed
    group by all

),

latest_won as (

    select scored_cycles.score_at_mql
    from scored_cycles
    cross join settings
    where scored_cycles.is_won
    qualify
        row_number() over (order by scored_cycles.won_at desc nulls last, scored_cycles.cycle_id desc)
        <= settings.threshold_suggestion_won_cycles

),

suggestion as (

    select
        median(score_at_mql) as suggested_threshold,
        count(*) as suggested_from_won_cycles
    from latest_won

),

captured as (

    select
        candidates.candidate_index,
        candidates.threshold,
        coalesce(sum(cycles_per_index.handoffs), 0) as handoffs,
        coalesce(sum(cycles_per_index.accepted), 0) as accepted,
        coalesce(sum(cycles_per_index.sqls), 0) as sqls,
        coalesce(sum(cycles_per_index.won), 0) as won
    from candidates
    left join cycles_per_index
        on candidates.candidate_index <= cycles_per_index.reached_index
    group by all

),

eligible as (

    select
        candidates.candidate_index,
        coalesce(sum(leads_per_index.leads), 0) as eligible_leads_now
    from candidates
    left join leads_per_index
        on candidates.candidate_index <= leads_per_index.reached_index
    group by all

),

final as (

    select
        captured.threshold,
        settings.fit_gate,
        cast(captured.handoffs as bigint) as handoffs,
        captured.handoffs / nullif(totals.total_handoffs, 0) as share_of_handoffs,
        cast(captured.accepted as bigint) as accepted,
        captured.accepted / nullif(totals.total_accepted, 0) as share_of_accepted,
        cast(captured.sqls as bigint) as sqls,
        captured.sqls / nullif(totals.total_sqls, 0) as share_of_sqls,
        cast(captured.won as bigint) as won,
        captured.won / nullif(totals.total_won, 0) as share_of_won,
        captured.accepted / nullif(captured.handoffs, 0) as acceptance_rate,
        captured.sqls / nullif(captured.handoffs, 0) as sql_rate,
        captured.won / nullif(captured.handoffs, 0) as win_rate,
        cast(eligible.eligible_leads_now as bigint) as eligible_leads_now,
        captured.threshold = settings.mql_threshold as is_current_threshold,
        suggestion.suggested_threshold,
        suggestion.suggested_from_won_cycles,
        coalesce(
            captured.threshold <= suggestion.suggested_threshold
            and (
                captured.threshold + grid.grid_step > suggestion.suggested_threshold
                or captured.candidate_index = grid.last_index
            ),
            false
        ) as is_suggested_threshold,
        totals.total_handoffs,
        totals.total_accepted,
        totals.total_sqls,
        totals.total_won,
        run_context.as_of
    from captured
    inner join eligible
        on captured.candidate_index = eligible.candidate_index
    cross join settings
    cross join grid
    cross join totals
    cross join suggestion
    cross join run_context

)

select * from final
