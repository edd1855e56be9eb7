-- rule: rejections_have_a_taxonomy_reason
-- severity: warning
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- group_by: owner_id
-- protects:
--   Every cycle that closed at a stage carrying a rejection reason (``carries_rejection_reason``
--   in the ``stages`` seed: rejected, disqualified) has a ``rejection_reason`` code from the
--   taxonomy (the ``rejection_reasons`` seed); offenders are broken down by owner.
--
--   Warning: a missing or unmapped reason is a sales-process gap (the rep skipped the picklist,
--   or the org added a label the seed lacks), not contradictory data; marketing loses the
--   feedback it needs, so it is reported by owner rather than failing the build.
select
    cycles.cycle_id,
    cycles.lead_id,
    cycles.owner_id,
    cycles.outcome,
    cycles.rejection_reason,
    case
        when stages.carries_rejection_reason
            then coalesce(
                    cycles.rejection_reason in (
                        select reasons.reason_code
                        from {seeds.rejection_reasons} as reasons
                        where reasons.reason_code is not null
                    ),
                    false
                )
    end as holds
from {marts.fct_lead_cycles} as cycles
left join {seeds.stages} as stages
    on cycles.outcome = stages.stage
