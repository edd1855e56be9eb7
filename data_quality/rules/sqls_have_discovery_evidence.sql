-- rule: sqls_have_discovery_evidence
-- severity: warning
-- mart: fct_lead_cycles
-- keys: cycle_id, lead_id
-- group_by: owner_id
-- protects:
--   Every SQL has discovery evidence: at least ``sql_min_bant_flags`` (quality_settings
--   seed) of the four BANT flags set. The flags are the lead's current values, so they
--   speak for the lead's latest SQL cycle: there a NULL ``bant_flags_count`` (the CRM has no
--   BANT fields, or none was filled in) counts as no evidence; an earlier SQL cycle without a
--   count is not applicable.
--
--   Warning: qualifying without discovery is a sales-process issue revenue leadership wants to
--   see (by owner); the data itself is consistent, and a CRM export without BANT fields must
--   still run to the end.
select
    cycle_id,
    lead_id,
    owner_id,
    cycle_number,
    sql_at,
    bant_flags_count,
    {setting.sql_min_bant_flags} as min_bant_flags,
    case
        when sql_at is null then null
        when bant_flags_count is not null then bant_flags_count >= {setting.sql_min_bant_flags}
        when cycle_number = latest_sql_cycle_number then false
    end as holds
from (
    select
        cycle_id,
        lead_id,
        owner_id,
        cycle_number,
        sql_at,
        bant_flags_count,
        max(case when sql_at is not null then cycle_number end) over (partition by lead_id)
            as latest_sql_cycle_number
    from {marts.fct_lead_cycles}
) as cycles
