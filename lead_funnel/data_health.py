"""The run's data health, published beside the marts (schema `audit` of the serve file).

The report and BI tools read the serve file only, so what proves the marts can be
trusted travels with them, in the same atomic publication: the reconciliation of
raw rows, the source schema gaps, the picklist values no seed maps, the quarantine
counted by reason (never the quarantined rows themselves: they hold personal data)
and the verdict of each invariant for this run.
"""

from __future__ import annotations

import duckdb

from lead_funnel.settings import META_SCHEMA
from lead_funnel.warehouse import relation_exists

HEALTH_SCHEMA = "audit"
COPIED_AUDIT_RELATIONS = ("reconciliation_raw_rows", "source_schema_gaps", "unmapped_values")
QUARANTINE_RELATIONS = ("quarantine.quarantine_salesforce", "quarantine.quarantine_marketo")
QUARANTINE_BY_REASON = "quarantine_by_reason"
INVARIANT_VERDICTS = "invariant_verdicts"


def _quarantine_by_reason_sql(con: duckdb.DuckDBPyConnection) -> str:
    present = [name for name in QUARANTINE_RELATIONS if relation_exists(con, *name.split("."))]
    parts = [
        f"select source_name, table_name, reason, count(*) as quarantined_rows from {name} "
        "group by all"
        for name in present
    ] or [
        "select null::varchar as source_name, null::varchar as table_name, "
        "null::varchar as reason, 0::bigint as quarantined_rows where false"
    ]
    return " union all ".join(parts)


def publish_data_health(
    con: duckdb.DuckDBPyConnection, catalog: str, run_id: str
) -> dict[str, int]:
    """Write the data-health relations into `<catalog>.audit`; return their row counts."""
    target = f'{catalog}."{HEALTH_SCHEMA}"'
    con.execute(f"create schema if not exists {target}")
    statements = {
        name: f'select * from "{HEALTH_SCHEMA}"."{name}"'
        for name in COPIED_AUDIT_RELATIONS
        if relation_exists(con, HEALTH_SCHEMA, name)
    }
    statements[QUARANTINE_BY_REASON] = _quarantine_by_reason_sql(con)
    if relation_exists(con, META_SCHEMA, "audits"):
        statements[INVARIANT_VERDICTS] = (
            "select check_name, severity, mart, passed, unexpected_count "
            f"from {META_SCHEMA}.audits where run_id = '{run_id.replace(chr(39), '')}'"
        )
    counts = {}
    for name, select in statements.items():
        con.execute(f'create table {target}."{name}" as {select}')
        counts[name] = con.execute(f'select count(*) from {target}."{name}"').fetchone()[0]
    return counts
