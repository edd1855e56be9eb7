-- rule: leads_below_the_fit_gate_are_never_mql_eligible
-- severity: blocking
-- mart: fct_lead_scores
-- keys: lead_id
-- protects:
--   A lead below the fit gate is never ``is_mql_eligible``: every eligible lead has a
--   ``fit_score`` at or above ``fit_gate`` (scoring_settings seed; an unknown fit score does not
--   pass the gate) and the mart's own ``is_fit_gate_passed`` says so.
--
--   Blocking: the fit gate is part of the MQL definition (engagement alone never makes an MQL),
--   so an eligible lead below it means the scoring model ignores its own gate.
select
    lead_id,
    fit_score,
    {setting.fit_gate} as fit_gate,
    is_fit_gate_passed,
    is_mql_eligible,
    case
        when is_mql_eligible
            then coalesce(fit_score >= {setting.fit_gate} and is_fit_gate_passed, false)
    end as holds
from {marts.fct_lead_scores}
