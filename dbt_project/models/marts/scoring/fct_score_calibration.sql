{#-
    How well the score at handoff predicted what sales did: one row per score band
    (int_score_bands, every band even when empty) of the handoff cycles' score_at_mql
    (contract section 3). Every cycle of fct_lead_cycles with a score counts once,
    whatever its lane: handoffs; accepted (sales_decision accepted, inferred
    acceptances included); sqls (sql_at set); won (outcome won). The rates divide by
    the band's handoffs (null when it has none); acceptance_rate_of_decided and
    win_rate_of_closed leave out the cycles sales has not decided / closed yet.
-#}
with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

scores_at_mql as (

    select * from {{ ref('int_cycle_scores_at_mql') }}

),

bands as (

    select * from {{ ref('int_score_bands') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

scored_cycles as (

    select
        cycles.cycle_id,
        cycles.entry_lane,
        cycles.sales_decision,
        cycles.sql_at,
        cycles.opportunity_id,
        cycles.outcome,
        cycles.amount,
        scores_at_mql.score_at_mql,
        {{ score_band_index('scores_at_mql.score_at_mql') }} as band_index
    from cycles
    inner join scores_at_mql
        on cycles.cycle_id = scores_at_mql.cycle_id
    cross join settings
    where scores_at_mql.score_at_mql is not null

),

per_band as (

    select
        band_index,
        count(*) as handoffs,
        count(*) filter (where sales_decision = 'accepted') as accepted,
        count(*) filter (where sql_at is not null) as sqls,
        count(*) filter (where outcome = 'won') as won,
        count(*) filter (where entry_lane = 'score') as score_lane_handoffs,
        count(*) filter (where entry_lane = 'fast_lane') as fast_lane_handoffs,
        count(*) filter (where entry_lane = 'manual') as manual_handoffs,
        count(*) filter (where sales_decision is not null) as decided,
        count(*) filter (where sales_decision in ('rejected', 'disqualified')) as rejected_or_disqualified,
        count(*) filter (where opportunity_id is not null) as opportunities,
        count(*) filter (where outcome = 'lost') as lost,
        count(*) filter (where outcome <> 'open') as closed,
        {{ rounded_sum("case when outcome = 'won' then amount end", 2) }} as won_amount,
        {{ rounded_avg('score_at_mql', 4) }} as avg_score_at_mql
    from scored_cycles
    group by band_index

),

final as (

    select
        bands.score_band,
        coalesce(per_band.handoffs, 0) as handoffs,
        coalesce(per_band.accepted, 0) as accepted,
        per_band.accepted / nullif(per_band.handoffs, 0) as acceptance_rate,
        coalesce(per_band.sqls, 0) as sqls,
        per_band.sqls / nullif(per_band.handoffs, 0) as sql_rate,
        coalesce(per_band.won, 0) as won,
        per_band.won / nullif(per_band.handoffs, 0) as win_rate,
        bands.band_order,
        bands.band_lower,
        bands.band_upper,
        coalesce(per_band.score_lane_handoffs, 0) as score_lane_handoffs,
        coalesce(per_band.fast_lane_handoffs, 0) as fast_lane_handoffs,
        coalesce(per_band.manual_handoffs, 0) as manual_handoffs,
        coalesce(per_band.decided, 0) as decided,
        per_band.accepted / nullif(per_band.decided, 0) as acceptance_rate_of_decided,
        coalesce(per_band.rejected_or_disqualified, 0) as rejected_or_disqualified,
        coalesce(per_band.opportunities, 0) as opportunities,
        coalesce(per_band.lost, 0) as lost,
        coalesce(per_band.closed, 0) as closed,
        per_band.won / nullif(per_band.closed, 0) as win_rate_of_closed,
        coalesce(per_band.won_amount, 0) as won_amount,
        per_band.avg_score_at_mql,
        run_context.as_of
    from bands
    cross join run_context
    left join per_band
        on bands.band_index = per_band.band_index

)

select * from final
