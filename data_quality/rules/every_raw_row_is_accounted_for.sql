-- rule: every_raw_row_is_accounted_for
-- severity: blocking
-- mart: reconciliation_raw_rows
-- keys: source_name, table_name
-- protects:
--   Every raw row is staged, deduplicated, deleted, merged or quarantined: per raw table,
--   raw_rows = staged + duplicate + deleted + merged + quarantined = classified_rows, and
--   unaccounted_rows is 0 (recomputed here, not trusted; a NULL count reads as 0).
--
--   Blocking: the contract promises that no raw row is ever dropped silently; a table whose
--   rows do not add up has lost (or invented) rows between the raw schema and staging.
select
    source_name,
    table_name,
    raw_rows,
    staged_rows,
    duplicate_rows,
    deleted_rows,
    merged_rows,
    quarantined_rows,
    classified_rows,
    unaccounted_rows,
    coalesce(raw_rows, 0) = disposed_rows
    and coalesce(classified_rows, 0) = disposed_rows
    and coalesce(unaccounted_rows, 0) = 0 as holds
from (
    select
        source_name,
        table_name,
        raw_rows,
        staged_rows,
        duplicate_rows,
        deleted_rows,
        merged_rows,
        quarantined_rows,
        classified_rows,
        unaccounted_rows,
        coalesce(staged_rows, 0)
        + coalesce(duplicate_rows, 0)
        + coalesce(deleted_rows, 0)
        + coalesce(merged_rows, 0)
        + coalesce(quarantined_rows, 0) as disposed_rows
    from {audit.reconciliation_raw_rows}
) as reconciliation
