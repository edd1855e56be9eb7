-- rule: handoffs_meet_the_mql_definition
-- severity: warning
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- group_by: entry_lane
-- protects:
--   Every handoff outside the fast lane meets the MQL definition at MQL time: ``score_at_mql``
--   at or above ``mql_threshold`` and ``fit_score_at_mql`` at or above ``fit_gate``
--   (scoring_settings seed). Applies to ``score`` and ``manual`` handoffs with a known score (a
--   fast-lane hand raise is an MQL by definition, whatever its score); the unexpected percent is
--   the share of those handoffs that miss the definition, broken down by entry lane.
--
--   Warning: this is definition drift (the MAP's threshold and ours disagree, or people hand off
--   leads that do not qualify), which revenue leadership wants to see, not a broken build.
select
    cycle_id,
    lead_id,
    entry_lane,
    channel,
    score_at_mql,
    fit_score_at_mql,
    {setting.mql_threshold} as mql_threshold,
    {setting.fit_gate} as fit_gate,
    case
        when coalesce(entry_lane, '') <> 'fast_lane' and score_at_mql is not null
            then
                score_at_mql >= {setting.mql_threshold}
                and coalesce(fit_score_at_mql >= {setting.fit_gate}, true)
    end as holds
from {marts.fct_lead_cycles}
