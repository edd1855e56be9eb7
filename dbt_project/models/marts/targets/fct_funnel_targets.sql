{#-
    One row per month x channel x metric of the plan (seed funnel_targets; contract
    section 3b): the target against the cohort counts of fct_funnel_by_source
    (channel `all` = every channel), and how the month is pacing at the run's as-of.

    * month_elapsed_share: the share of the month elapsed at the as-of (0 before the
      month, 1 after it);
    * attainment = actual / target;
    * expected_to_date = target x month_elapsed_share (the full target for past months);
    * pace = actual / expected_to_date;
    * projected = actual / month_elapsed_share (the current month's run rate; actual
      for past months, null for months not started).
    Ratios are null where the denominator is 0.
-#}
{%- set metrics = ['mqls', 'sals', 'sqls', 'opportunities', 'pipeline_amount', 'won_amount'] %}
with

targets as (

    select
        cast(month as date) as month,
        {{ picklist_key('channel') }} as channel,
        {{ picklist_key('metric') }} as metric,
        cast(target as double) as target
    from {{ ref('funnel_targets') }}

),

cohorts as (

    select * from {{ ref('fct_funnel_by_source') }}

),

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

by_channel as (

    select
        cohort_month,
        channel,
        {%- for metric in metrics %}
            sum({{ metric }}) as {{ metric }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from cohorts
    group by cohort_month, channel

),

with_all as (

    select * from by_channel
    union all
    select
        cohort_month,
        'all' as channel,
        {%- for metric in metrics %}
            sum({{ metric }}) as {{ metric }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from by_channel
    group by cohort_month

),

metric_names as (

    select metric_name.metric
    from (
        values ('mqls'), ('sals'), ('sqls'), ('opportunities'), ('pipeline_amount'), ('won_amount')
    ) as metric_name (metric)

),

actuals as (

    select
        with_all.cohort_month,
        with_all.channel,
        metric_names.metric,
        cast(
            case metric_names.metric
                {%- for metric in metrics %}
                    when '{{ metric }}' then with_all.{{ metric }}
                {%- endfor %}
            end as double
        ) as actual
    from with_all
    cross join metric_names

),

elapsed as (

    select
        targets.month,
        targets.channel,
        targets.metric,
        targets.target,
        coalesce(actuals.actual, 0) as actual,
        case
            when run_context.as_of <= targets.month then 0.0e0
            when run_context.as_of >= {{ dbt.dateadd('month', 1, 'targets.month') }} then 1.0e0
            else {{ dbt.datediff('targets.month', 'run_context.as_of', 'second') }}
                / cast(
                    {{ dbt.datediff('targets.month', dbt.dateadd('month', 1, 'targets.month'), 'second') }}
                    as double
                )
        end as month_elapsed_share,
        run_context.as_of
    from targets
    cross join run_context
    left join actuals
        on targets.month = actuals.cohort_month
            and targets.channel = actuals.channel
            and targets.metric = actuals.metric

),

final as (

    select
        month,
        channel,
        metric,
        target,
        round(actual, 2) as actual,
        {{ funnel_ratio('actual', 'target') }} as attainment,
        target * month_elapsed_share as expected_to_date,
        {{ funnel_ratio('actual', 'target * month_elapsed_share') }} as pace,
        {{ funnel_ratio('actual', 'month_elapsed_share') }} as projected,
        month_elapsed_share,
        month_elapsed_share > 0 and month_elapsed_share < 1 as is_current_month,
        {{ funnel_quarter('month') }} as quarter_start,
        as_of
    from elapsed

)

select * from final
