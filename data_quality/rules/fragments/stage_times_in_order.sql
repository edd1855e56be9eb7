-- A fragment, not a rule: `{fragment.stage_times_in_order}` in a rule is replaced by the
-- expression below (what stands between `select` and `as stage_times_in_order`).
-- TRUE when no recorded stage time of a fct_lead_cycles row precedes an earlier stage's time.
-- Each stage is compared with the latest of the stages before it that are set (`greatest`
-- skips NULLs), so a skipped or not-yet-reached stage never breaks the chain:
-- mql_at <= sales_decision_at (= sal_at when accepted) <= sql_at <= opportunity_created_at
-- <= won_at / lost_at; a rejection, recycle or disqualification closes the cycle after the
-- handoff and the sales decision.
select
    (
        coalesce(sales_decision_at >= mql_at, true)
        and coalesce(sal_at >= mql_at, true)
        and coalesce(sql_at >= greatest(mql_at, sales_decision_at, sal_at), true)
        and coalesce(opportunity_created_at >= greatest(mql_at, sales_decision_at, sal_at, sql_at), true)
        and coalesce(
            won_at >= greatest(mql_at, sales_decision_at, sal_at, sql_at, opportunity_created_at), true
        )
        and coalesce(
            lost_at >= greatest(mql_at, sales_decision_at, sal_at, sql_at, opportunity_created_at), true
        )
        and coalesce(rejected_at >= greatest(mql_at, sales_decision_at), true)
        and coalesce(recycled_at >= greatest(mql_at, sales_decision_at), true)
        and coalesce(disqualified_at >= greatest(mql_at, sales_decision_at), true)
    ) as stage_times_in_order
