{#-
    One row per cohort month x channel x model (contract section 3b; cohort = month
    of the cycle's mql_at, UTC): the funnel's MQLs, opportunities, pipeline, wins and
    won amount shared among the channels of the touches that earned them.

    * attributed_mqls: credit of the mql milestone;
    * attributed_opportunities, attributed_pipeline_amount: credit of the
      opportunity milestone, times the cycle's amount for the pipeline;
    * attributed_won, attributed_won_amount: the same credit for cycles won.

    Credit is shared, never created or lost: per model and cohort month the sums
    equal fct_funnel_by_source (the GX invariant attribution_conserves_the_funnel).
    spend is the channel's campaign spend of the month (as in fct_funnel_by_source);
    a month x channel with spend and no credit keeps a row per model (counts 0).
    Counts are rounded to 6 decimals and amounts to cents (float sums' last bits
    depend on the order threads add them).
-#}
with

touches as (

    select * from {{ ref('fct_attribution_touches') }}

),

cycles as (

    select
        cycle_id,
        amount,
        outcome
    from {{ ref('fct_lead_cycles') }}

),

channel_spend as (

    select * from {{ ref('int_channel_spend_monthly') }}

),

credited as (

    select
        touches.cohort_month,
        touches.channel,
        touches.model,
        touches.milestone,
        touches.credit,
        coalesce(cycles.amount, 0) as amount,
        cycles.outcome = 'won' as is_won
    from touches
    inner join cycles
        on touches.cycle_id = cycles.cycle_id

),

attributed as (

    select
        cohort_month,
        channel,
        model,
        {{ rounded_sum("case when milestone = 'mql' then credit else 0 end", 6) }} as attributed_mqls,
        {{ rounded_sum("case when milestone = 'opportunity' then credit else 0 end", 6) }} as attributed_opportunities,
        {{ rounded_sum("case when milestone = 'opportunity' then credit * amount else 0 end", 2) }}
            as attributed_pipeline_amount,
        {{ rounded_sum("case when milestone = 'opportunity' and is_won then credit else 0 end", 6) }} as attributed_won,
        {{ rounded_sum("case when milestone = 'opportunity' and is_won then credit * amount else 0 end", 2) }}
            as attributed_won_amount
    from credited
    group by cohort_month, channel, model

),

models as (

    select distinct model from attributed

),

spend_rows as (

    select
        channel_spend.spend_month as cohort_month,
        channel_spend.channel,
        models.model,
        channel_spend.spend
    from channel_spend
    cross join models

),

joined as (

    select
        coalesce(attributed.cohort_month, spend_rows.cohort_month) as cohort_month,
        coalesce(attributed.channel, spend_rows.channel) as channel,
        coalesce(attributed.model, spend_rows.model) as model,
        coalesce(attributed.attributed_mqls, 0) as attributed_mqls,
        coalesce(attributed.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(attributed.attributed_pipeline_amount, 0) as attributed_pipeline_amount,
        coalesce(attributed.attributed_won, 0) as attributed_won,
        coalesce(attributed.attributed_won_amount, 0) as attributed_won_amount,
        coalesce(spend_rows.spend, 0) as spend
    from attributed
    full outer join spend_rows
        on attributed.cohort_month = spend_rows.cohort_month
            and attributed.channel = spend_rows.channel
            and attributed.model = spend_rows.model

),

final as (

    select
        cohort_month,
        channel,
        model,
        cast(attributed_mqls as double) as attributed_mqls,
        cast(attributed_opportunities as double) as attributed_opportunities,
        cast(attributed_pipeline_amount as double) as attributed_pipeline_amount,
        cast(attributed_won as double) as attributed_won,
        cast(attributed_won_amount as double) as attributed_won_amount,
        cast(spend as double) as spend,
        {{ funnel_ratio('spend', 'attributed_opportunities') }} as cost_per_attributed_opportunity,
        {{ funnel_ratio('attributed_won_amount', 'spend') }} as return_on_spend
    from joined

)

select * from final
