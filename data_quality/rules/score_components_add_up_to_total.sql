-- rule: score_components_add_up_to_total
-- severity: blocking
-- mart: fct_lead_scores
-- keys: lead_id
-- protects:
--   A lead's score components add up to its total: fit + engagement + intent + negative
--   (the negative score carries its sign, as the negative_score_rules seed's points do; a NULL
--   component reads as 0) equals ``total_score`` within 0.000001 points (float summation noise
--   only: the scores are rounded to two decimals). Leads without a total are not applicable.
--
--   Blocking: the total is defined as the sum of its parts, and BI shows both side by side; a
--   total that differs from its components means the scoring model contradicts itself.
select
    lead_id,
    fit_score,
    engagement_score,
    intent_score,
    negative_score,
    total_score,
    component_sum,
    case
        when total_score is not null then abs(component_sum - total_score) < 0.000001
    end as holds
from (
    select
        lead_id,
        fit_score,
        engagement_score,
        intent_score,
        negative_score,
        total_score,
        coalesce(fit_score, 0)
        + coalesce(engagement_score, 0)
        + coalesce(intent_score, 0)
        + coalesce(negative_score, 0) as component_sum
    from {marts.fct_lead_scores}
) as scores
