"""Invariants on ``audit.reconciliation_raw_rows``: one row per raw table."""

from __future__ import annotations

from data_quality.invariant import QueryContext, Reads, Severity, invariant

RECONCILIATION = "reconciliation_raw_rows"
KEYS = ("source_name", "table_name")
DISPOSITIONS = ("staged_rows", "duplicate_rows", "deleted_rows", "merged_rows", "quarantined_rows")
COUNTS = ("raw_rows", *DISPOSITIONS, "classified_rows", "unaccounted_rows")


@invariant(
    severity=Severity.BLOCKING,
    mart=RECONCILIATION,
    keys=KEYS,
    evidence=COUNTS,
    reads=(Reads(RECONCILIATION, "audit", (*KEYS, *COUNTS)),),
)
def every_raw_row_is_accounted_for(q: QueryContext) -> str:
    """Every raw row is staged, deduplicated, deleted, merged or quarantined: per raw table,
    raw_rows = staged + duplicate + deleted + merged + quarantined = classified_rows, and
    unaccounted_rows is 0 (recomputed here, not trusted; a NULL count reads as 0).

    Blocking: the contract promises that no raw row is ever dropped silently; a table whose
    rows do not add up has lost (or invented) rows between the raw schema and staging.
    """
    dispositions = " + ".join(f"coalesce({column}, 0)" for column in DISPOSITIONS)
    return f"""
    select {", ".join((*KEYS, *COUNTS))},
        coalesce(raw_rows, 0) = {dispositions}
        and coalesce(classified_rows, 0) = {dispositions}
        and coalesce(unaccounted_rows, 0) = 0 as holds
    from {q.relation(RECONCILIATION)}
    """
