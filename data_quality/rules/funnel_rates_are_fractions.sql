-- rule: funnel_rates_are_fractions
-- severity: blocking
-- mart: fct_funnel_by_source
-- keys: cohort_month, channel, lead_source
-- protects:
--   Every conversion rate of a funnel row (mql_to_sal, sal_to_sql, sql_to_opportunity,
--   opportunity_to_won, mql_to_sql) is a fraction in [0, 1], or NULL where its denominator
--   is 0 (contract section 3); NaN is not a fraction (it sorts above every number, so it is
--   never between 0 and 1).
--
--   Blocking: with monotone counts every rate is at most 1, so a rate outside [0, 1] is a
--   wrong formula or a wrong denominator in the mart, and BI would publish it as a conversion.
select
    cohort_month,
    channel,
    lead_source,
    mql_to_sal_rate,
    sal_to_sql_rate,
    sql_to_opportunity_rate,
    opportunity_to_won_rate,
    mql_to_sql_rate,
    (mql_to_sal_rate is null or mql_to_sal_rate between 0 and 1)
    and (sal_to_sql_rate is null or sal_to_sql_rate between 0 and 1)
    and (sql_to_opportunity_rate is null or sql_to_opportunity_rate between 0 and 1)
    and (opportunity_to_won_rate is null or opportunity_to_won_rate between 0 and 1)
    and (mql_to_sql_rate is null or mql_to_sql_rate between 0 and 1) as holds
from {marts.fct_funnel_by_source}
