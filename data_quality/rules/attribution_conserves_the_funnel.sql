-- rule: attribution_conserves_the_funnel
-- severity: blocking
-- mart: fct_attribution_by_channel
-- keys: cohort_month, model
-- protects:
--   Per attribution model and cohort month, the attributed MQLs, opportunities, pipeline
--   amount, wins and won amount summed over channels equal the funnel's own counts in
--   fct_funnel_by_source (contract section 3b: credit is shared, never created or lost).
--   Every model that appears in the mart is checked for every cohort month of the funnel;
--   a model or month missing on one side reads as 0. Counts may differ by 1e-6 and amounts
--   by a cent per mart row (the marts round their sums).
--
--   Blocking: a touch window without its lead's creation, a credit rule whose shares do not
--   sum to 1, or a cycle joined twice would publish a channel's pipeline that was never
--   created (or lose one), and every model comparison in BI would rest on it.
with

attributed as (
    select
        cohort_month,
        model,
        count(*) as mart_rows,
        sum(attributed_mqls) as attributed_mqls,
        sum(attributed_opportunities) as attributed_opportunities,
        sum(attributed_pipeline_amount) as attributed_pipeline_amount,
        sum(attributed_won) as attributed_won,
        sum(attributed_won_amount) as attributed_won_amount
    from {marts.fct_attribution_by_channel}
    group by cohort_month, model
),

funnel as (
    select
        cohort_month,
        count(*) as mart_rows,
        sum(mqls) as mqls,
        sum(opportunities) as opportunities,
        sum(pipeline_amount) as pipeline_amount,
        sum(won) as won,
        sum(won_amount) as won_amount
    from {marts.fct_funnel_by_source}
    group by cohort_month
),

models as (
    select distinct model from attributed
),

expected as (
    select
        funnel.cohort_month,
        funnel.mart_rows,
        funnel.mqls,
        funnel.opportunities,
        funnel.pipeline_amount,
        funnel.won,
        funnel.won_amount,
        models.model
    from funnel
    cross join models
),

compared as (
    select
        coalesce(a.cohort_month, f.cohort_month) as cohort_month,
        coalesce(a.model, f.model) as model,
        coalesce(a.attributed_mqls, 0) as attributed_mqls,
        coalesce(f.mqls, 0) as mqls,
        coalesce(a.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(f.opportunities, 0) as opportunities,
        coalesce(a.attributed_pipeline_amount, 0) as attributed_pipeline_amount,
        coalesce(f.pipeline_amount, 0) as pipeline_amount,
        coalesce(a.attributed_won, 0) as attributed_won,
        coalesce(f.won, 0) as won,
        coalesce(a.attributed_won_amount, 0) as attributed_won_amount,
        coalesce(f.won_amount, 0) as won_amount,
        coalesce(a.mart_rows, 0) + coalesce(f.mart_rows, 0) + 1 as tolerance_rows
    from attributed as a
    full outer join expected as f
        on a.cohort_month = f.cohort_month and a.model = f.model
)

select
    cohort_month,
    model,
    attributed_mqls,
    mqls,
    attributed_opportunities,
    opportunities,
    attributed_pipeline_amount,
    pipeline_amount,
    attributed_won,
    won,
    attributed_won_amount,
    won_amount,
    abs(attributed_mqls - mqls) <= 0.000001 * tolerance_rows
    and abs(attributed_opportunities - opportunities) <= 0.000001 * tolerance_rows
    and abs(attributed_pipeline_amount - pipeline_amount) <= 0.01 * tolerance_rows
    and abs(attributed_won - won) <= 0.000001 * tolerance_rows
    and abs(attributed_won_amount - won_amount) <= 0.01 * tolerance_rows as holds
from compared
