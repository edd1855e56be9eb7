{#-
    Funnel diagnostics: one row per quarter (quarter_start) x channel. Each stage rate is compared
    with its benchmark range (seed funnel_benchmarks) and the rules of seed
    funnel_diagnostic_rules name what the pattern means:

    * mql_definition_too_loose: sales rejects or disqualifies at the handoff (the
      sales decision) more than a third of the quarter's MQLs;
    * mql_to_sql_too_low: MQL -> SQL under 10 %;
    * mql_leading_indicator: MQL -> SQL above 30 % in this and the previous quarter,
      moving by at most 10 points (stable);
    * targeting_problem: MQL volume at least the quarter's average per channel
      (secondary_threshold x average) with MQL -> SAL acceptance under 50 %;
    * marketing_green_pipeline_short: the channel met its MQL target to date
      (fct_funnel_targets) while the quarter's pipeline coverage (fct_pipeline_coverage)
      is below the rule's threshold (coverage_min_ratio of fct_pipeline_coverage).

    A rule fires only when the quarter has at least its min_mqls MQLs. Quarters are
    cohort quarters (of mql_at) for MQL-based rates and created quarters for
    lead -> MQL, matching fct_funnel_by_source and fct_lead_creation_by_source.
-#}
with

cohorts as (

    select * from {{ ref('fct_funnel_by_source') }}

),

creation as (

    select * from {{ ref('fct_lead_creation_by_source') }}

),

benchmark_seed as (

    select * from {{ ref('funnel_benchmarks') }}

),

coverage as (

    select
        quarter_start,
        coverage as pipeline_coverage,
        coverage_min_ratio
    from {{ ref('fct_pipeline_coverage') }}

),

channel_mql_targets as (

    select
        quarter_start,
        channel,
        sum(target) as mql_target,
        sum(expected_to_date) as mql_expected_to_date
    from {{ ref('fct_funnel_targets') }}
    where metric = 'mqls'
    group by quarter_start, channel

),

rule_seed as (

    select * from {{ ref('funnel_diagnostic_rules') }}

),

settings as (

    select benchmark_min_denominator from {{ ref('int_settings') }}

),

benchmarks as (

    select
        {%- for transition in ['lead_to_mql', 'mql_to_sal', 'sal_to_sql', 'sql_to_opportunity', 'opportunity_to_won'] %}
            max(benchmark_low) filter (where transition = '{{ transition }}') as {{ transition }}_low,
            max(benchmark_high) filter (where transition = '{{ transition }}')
                as {{ transition }}_high{% if not loop.last %},{% endif %}
        {%- endfor %}
    from benchmark_seed

),

rules as (

    select
        {%- for rule in ['mql_definition_too_loose', 'mql_to_sql_too_low', 'mql_leading_indicator', 'targeting_problem',
                         'marketing_green_pipeline_short'] %}
            max(threshold) filter (where rule_code = '{{ rule }}') as {{ rule }}_threshold,
            max(secondary_threshold) filter (where rule_code = '{{ rule }}') as {{ rule }}_secondary,
            coalesce(max(min_mqls) filter (where rule_code = '{{ rule }}'), 0)
                as {{ rule }}_min_mqls{% if not loop.last %}
                ,
            {% endif %}
        {%- endfor %}
    from rule_seed

),

cohort_quarters as (

    select
        {{ funnel_quarter('cohort_month') }} as quarter_start,
        channel,
        cast(sum(mqls) as bigint) as mqls,
        cast(sum(sals) as bigint) as sals,
        cast(sum(rejected) as bigint) as rejected,
        cast(sum(disqualified) as bigint) as disqualified,
        cast(sum(recycled) as bigint) as recycled,
        cast(sum(handoff_rejections) as bigint) as handoff_rejections,
        cast(sum(sqls) as bigint) as sqls,
        cast(sum(opportunities) as bigint) as opportunities,
        cast(sum(won) as bigint) as won,
        cast(sum(lost) as bigint) as lost,
        {{ rounded_sum('spend', 2) }} as spend
    from cohorts
    group by {{ funnel_quarter('cohort_month') }}, channel

),

creation_quarters as (

    select
        {{ funnel_quarter('created_month') }} as quarter_start,
        channel,
        cast(sum(leads_created) as bigint) as leads_created,
        cast(sum(leads_reached_mql) as bigint) as leads_reached_mql
    from creation
    group by {{ funnel_quarter('created_month') }}, channel

),

quarters as (

    select
        coalesce(cohort_quarters.quarter_start, creation_quarters.quarter_start) as quarter_start,
        coalesce(cohort_quarters.channel, creation_quarters.channel) as channel,
        coalesce(creation_quarters.leads_created, 0) as leads_created,
        coalesce(creation_quarters.leads_reached_mql, 0) as leads_reached_mql,
        coalesce(cohort_quarters.mqls, 0) as mqls,
        coalesce(cohort_quarters.sals, 0) as sals,
        coalesce(cohort_quarters.rejected, 0) as rejected,
        coalesce(cohort_quarters.disqualified, 0) as disqualified,
        coalesce(cohort_quarters.recycled, 0) as recycled,
        coalesce(cohort_quarters.handoff_rejections, 0) as handoff_rejections,
        coalesce(cohort_quarters.sqls, 0) as sqls,
        coalesce(cohort_quarters.opportunities, 0) as opportunities,
        coalesce(cohort_quarters.won, 0) as won,
        coalesce(cohort_quarters.lost, 0) as lost,
        coalesce(cohort_quarters.spend, 0) as spend
    from cohort_quarters
    full outer join creation_quarters
        on cohort_quarters.quarter_start = creation_quarters.quarter_start
            and cohort_quarters.channel = creation_quarters.channel

),

rates as (

    select
        *,
        {{ funnel_ratio('leads_reached_mql', 'leads_created') }} as lead_to_mql_rate,
        {{ funnel_ratio('sals', 'mqls') }} as mql_to_sal_rate,
        {{ funnel_ratio('sqls', 'sals') }} as sal_to_sql_rate,
        {{ funnel_ratio('opportunities', 'sqls') }} as sql_to_opportunity_rate,
        {{ funnel_ratio('won', 'won + lost') }} as opportunity_to_won_rate,
        {{ funnel_ratio('sqls', 'mqls') }} as mql_to_sql_rate,
        {{ funnel_ratio('handoff_rejections', 'mqls') }} as sales_rejection_rate,
        {{ funnel_ratio('spend', 'sqls') }} as cost_per_sql,
        avg(case when mqls > 0 then mqls end) over (partition by quarter_start) as quarter_avg_mqls_per_channel
    from quarters

),

with_previous as (

    select
        rates.*,
        previous.mql_to_sql_rate as previous_quarter_mql_to_sql_rate,
        previous.mqls as previous_quarter_mqls,
        coverage.pipeline_coverage,
        coverage.coverage_min_ratio,
        channel_mql_targets.mql_target,
        channel_mql_targets.mql_expected_to_date
    from rates
    left join rates as previous
        on rates.channel = previous.channel
            and previous.quarter_start = cast({{ dbt.dateadd('month', -3, 'rates.quarter_start') }} as date)
    left join coverage
        on rates.quarter_start = coverage.quarter_start
    left join channel_mql_targets
        on rates.quarter_start = channel_mql_targets.quarter_start
            and rates.channel = channel_mql_targets.channel

),

flagged as (

    select
        with_previous.*,
        {{ funnel_benchmark_status(
            'lead_to_mql_rate', 'leads_created', 'lead_to_mql_low', 'lead_to_mql_high', 'benchmark_min_denominator') }}
            as lead_to_mql_status,
        {{ funnel_benchmark_status(
            'mql_to_sal_rate', 'mqls', 'mql_to_sal_low', 'mql_to_sal_high', 'benchmark_min_denominator') }}
            as mql_to_sal_status,
        {{ funnel_benchmark_status(
            'sal_to_sql_rate', 'sals', 'sal_to_sql_low', 'sal_to_sql_high', 'benchmark_min_denominator') }}
            as sal_to_sql_status,
        {{ funnel_benchmark_status(
            'sql_to_opportunity_rate', 'sqls', 'sql_to_opportunity_low', 'sql_to_opportunity_high',
            'benchmark_min_denominator') }}
            as sql_to_opportunity_status,
        {{ funnel_benchmark_status(
            'opportunity_to_won_rate', 'won + lost', 'opportunity_to_won_low', 'opportunity_to_won_high',
            'benchmark_min_denominator') }}
            as opportunity_to_won_status,
        coalesce(
            with_previous.mqls >= rules.mql_definition_too_loose_min_mqls
            and with_previous.sales_rejection_rate > rules.mql_definition_too_loose_threshold,
            false
        ) as is_mql_definition_too_loose,
        coalesce(
            with_previous.mqls >= rules.mql_to_sql_too_low_min_mqls
            and with_previous.mql_to_sql_rate < rules.mql_to_sql_too_low_threshold,
            false
        ) as is_mql_to_sql_too_low,
        coalesce(
            with_previous.mqls >= rules.mql_leading_indicator_min_mqls
            and with_previous.previous_quarter_mqls >= rules.mql_leading_indicator_min_mqls
            and with_previous.mql_to_sql_rate > rules.mql_leading_indicator_threshold
            and with_previous.previous_quarter_mql_to_sql_rate > rules.mql_leading_indicator_threshold
            and abs(with_previous.mql_to_sql_rate - with_previous.previous_quarter_mql_to_sql_rate) <= rules.mql_leading_indicator_secondary,
            false
        ) as is_mql_leading_indicator,
        coalesce(
            with_previous.mqls >= rules.targeting_problem_min_mqls
            and with_previous.mqls >= coalesce(rules.targeting_problem_secondary, 1) * with_previous.quarter_avg_mqls_per_channel
            and with_previous.mql_to_sal_rate < rules.targeting_problem_threshold,
            false
        ) as is_targeting_problem,
        coalesce(
            with_previous.mqls >= rules.marketing_green_pipeline_short_min_mqls
            and with_previous.mqls >= with_previous.mql_expected_to_date
            and with_previous.pipeline_coverage < with_previous.coverage_min_ratio,
            false
        ) as is_marketing_green_pipeline_short
    from with_previous
    cross join benchmarks
    cross join rules
    cross join settings

),

fired as (

    select
        flagged.quarter_start,
        flagged.channel,
        rule_seed.sort_order,
        rule_seed.finding,
        rule_seed.meaning,
        rule_seed.recommended_action
    from flagged
    inner join rule_seed
        on (rule_seed.rule_code = 'mql_definition_too_loose' and flagged.is_mql_definition_too_loose)
            or (rule_seed.rule_code = 'mql_to_sql_too_low' and flagged.is_mql_to_sql_too_low)
            or (rule_seed.rule_code = 'mql_leading_indicator' and flagged.is_mql_leading_indicator)
            or (rule_seed.rule_code = 'targeting_problem' and flagged.is_targeting_problem)
            or (rule_seed.rule_code = 'marketing_green_pipeline_short' and flagged.is_marketing_green_pipeline_short)

),

findings as (

    select
        quarter_start,
        channel,
        count(*) as findings_count,
        {{ ordered_string_agg("finding || ': ' || meaning", "'; '", 'sort_order') }} as findings,
        {{ ordered_string_agg('recommended_action', "'; '", 'sort_order') }} as recommended_actions
    from fired
    group by quarter_start, channel

),

final as (

    select
        flagged.quarter_start,
        flagged.channel,
        flagged.leads_created,
        flagged.leads_reached_mql,
        flagged.mqls,
        flagged.sals,
        flagged.rejected,
        flagged.disqualified,
        flagged.recycled,
        flagged.handoff_rejections,
        flagged.sqls,
        flagged.opportunities,
        flagged.won,
        flagged.lost,
        flagged.spend,
        flagged.lead_to_mql_rate,
        flagged.mql_to_sal_rate,
        flagged.sal_to_sql_rate,
        flagged.sql_to_opportunity_rate,
        flagged.opportunity_to_won_rate,
        flagged.mql_to_sql_rate,
        flagged.sales_rejection_rate,
        flagged.cost_per_sql,
        flagged.lead_to_mql_status,
        flagged.mql_to_sal_status,
        flagged.sal_to_sql_status,
        flagged.sql_to_opportunity_status,
        flagged.opportunity_to_won_status,
        flagged.previous_quarter_mql_to_sql_rate,
        flagged.quarter_avg_mqls_per_channel,
        flagged.is_mql_definition_too_loose,
        flagged.is_mql_to_sql_too_low,
        flagged.is_mql_leading_indicator,
        flagged.is_targeting_problem,
        coalesce(findings.findings_count, 0) as findings_count,
        findings.findings,
        findings.recommended_actions,
        flagged.mql_target,
        flagged.mql_expected_to_date,
        flagged.pipeline_coverage,
        flagged.is_marketing_green_pipeline_short
    from flagged
    left join findings
        on flagged.quarter_start = findings.quarter_start
            and flagged.channel = findings.channel

)

select * from final
