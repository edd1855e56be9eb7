{#-
    One row per quarter of the plan (quarter_start; contract section 3b): how well
    the open pipeline covers what is left of the quarter's won-amount target.

    * won_amount_target, won_amount: the quarter's months of fct_funnel_targets,
      metric won_amount, channel `all` (actuals are cohort won amounts);
    * open_pipeline_amount: amount of the opportunities created from cycles that are
      open at the quarter's measuring time (the run's as-of, or the quarter's end
      for past quarters): created by then and not won or lost by then;
    * remaining_target = greatest(won_amount_target - won_amount, 0);
    * coverage = open_pipeline_amount / remaining_target (null when nothing remains);
    * is_mql_target_met: the quarter's MQLs (channel `all`) at least its MQL target
      expected to date;
    * is_marketing_green_pipeline_short: coverage below coverage_min_ratio (the
      threshold of rule marketing_green_pipeline_short, seed funnel_diagnostic_rules)
      while the MQL target is met: "marketing is green, pipeline is short" (the
      finding is named per channel in fct_funnel_diagnostics).
-#}
with

targets as (

    select * from {{ ref('fct_funnel_targets') }}
    where channel = 'all'

),

cycles as (

    select
        opportunity_id,
        opportunity_created_at,
        closed_at,
        outcome,
        amount
    from {{ ref('fct_lead_cycles') }}
    where opportunity_id is not null

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

settings as (

    select max(case when rule_code = 'marketing_green_pipeline_short' then threshold end) as coverage_min_ratio
    from {{ ref('funnel_diagnostic_rules') }}

),

quarters as (

    select
        quarter_start,
        sum(case when metric = 'won_amount' then target end) as won_amount_target,
        sum(case when metric = 'won_amount' then actual end) as won_amount,
        sum(case when metric = 'mqls' then target end) as mql_target,
        sum(case when metric = 'mqls' then expected_to_date end) as mql_expected_to_date,
        sum(case when metric = 'mqls' then actual end) as mqls
    from targets
    group by quarter_start

),

measured as (

    select
        quarters.*,
        case
            when run_context.as_of < {{ dbt.dateadd('month', 3, 'quarters.quarter_start') }} then run_context.as_of
            else {{ dbt.dateadd('month', 3, 'quarters.quarter_start') }}
        end as measured_at
    from quarters
    cross join run_context

),

open_pipeline as (

    select
        measured.quarter_start,
        count(cycles.opportunity_id) as open_opportunities,
        coalesce(sum(cycles.amount), 0) as open_pipeline_amount
    from measured
    left join cycles
        on measured.measured_at >= cycles.opportunity_created_at
            and (cycles.outcome not in ('won', 'lost') or measured.measured_at < cycles.closed_at)
    group by measured.quarter_start

),

final as (

    select
        measured.quarter_start,
        measured.won_amount_target,
        round(measured.won_amount, 2) as won_amount,
        round(cast(open_pipeline.open_pipeline_amount as double), 2) as open_pipeline_amount,
        greatest(measured.won_amount_target - measured.won_amount, 0) as remaining_target,
        {{ funnel_ratio('open_pipeline.open_pipeline_amount', 'greatest(measured.won_amount_target - measured.won_amount, 0)') }}
            as coverage,
        open_pipeline.open_opportunities,
        measured.measured_at,
        measured.mql_target,
        measured.mql_expected_to_date,
        measured.mqls,
        coalesce(measured.mqls >= measured.mql_expected_to_date, false) as is_mql_target_met,
        settings.coverage_min_ratio,
        coalesce(
            measured.mqls >= measured.mql_expected_to_date
            and {{ funnel_ratio('open_pipeline.open_pipeline_amount', 'greatest(measured.won_amount_target - measured.won_amount, 0)') }}
            < settings.coverage_min_ratio,
            false
        ) as is_marketing_green_pipeline_short
    from measured
    inner join open_pipeline
        on measured.quarter_start = open_pipeline.quarter_start
    cross join settings

)

select * from final
