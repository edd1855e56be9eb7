{#-
    One row per quarter (quarter_start) x channel x stage transition: the rate, its numerator and
    denominator, and where it stands against the benchmark range of seed
    funnel_benchmarks (the long form of fct_funnel_diagnostics, for charts).
-#}
with

diagnostics as (

    select * from {{ ref('fct_funnel_diagnostics') }}

),

benchmarks as (

    select * from {{ ref('funnel_benchmarks') }}

),

settings as (

    select benchmark_min_denominator from {{ ref('int_settings') }}

),

transitions as (

    select
        quarter_start,
        channel,
        'lead_to_mql' as transition,
        leads_reached_mql as numerator,
        leads_created as denominator
    from diagnostics

    union all

    select
        quarter_start,
        channel,
        'mql_to_sal' as transition,
        sals as numerator,
        mqls as denominator
    from diagnostics

    union all

    select
        quarter_start,
        channel,
        'sal_to_sql' as transition,
        sqls as numerator,
        sals as denominator
    from diagnostics

    union all

    select
        quarter_start,
        channel,
        'sql_to_opportunity' as transition,
        opportunities as numerator,
        sqls as denominator
    from diagnostics

    union all

    select
        quarter_start,
        channel,
        'opportunity_to_won' as transition,
        won as numerator,
        won + lost as denominator
    from diagnostics

),

final as (

    select
        transitions.quarter_start,
        transitions.channel,
        transitions.transition,
        benchmarks.from_stage,
        benchmarks.to_stage,
        transitions.numerator,
        transitions.denominator,
        {{ funnel_ratio('transitions.numerator', 'transitions.denominator') }} as rate,
        benchmarks.benchmark_low,
        benchmarks.benchmark_high,
        {{ funnel_benchmark_status(
            funnel_ratio('transitions.numerator', 'transitions.denominator'),
            'transitions.denominator',
            'benchmarks.benchmark_low',
            'benchmarks.benchmark_high',
            'settings.benchmark_min_denominator') }} as benchmark_status,
        benchmarks.sort_order
    from transitions
    inner join benchmarks
        on transitions.transition = benchmarks.transition
    cross join settings

)

select * from final
