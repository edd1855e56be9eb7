"""What a published set of marts says, in a few lines (the run summary, `lead-funnel summary`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from lead_funnel.settings import META_SCHEMA, PUBLISHED_SCHEMA
from lead_funnel.warehouse import relation_exists, tables_in_schema


@dataclass
class MartsSummary:
    source: str
    as_of: datetime | None = None
    rows: dict[str, int] = field(default_factory=dict)
    funnel: dict[str, int] = field(default_factory=dict)
    by_channel: list[tuple] = field(default_factory=list)
    breaches: list[tuple] = field(default_factory=list)
    speed_to_lead: dict[str, tuple[int, int]] = field(default_factory=dict)


FUNNEL_SQL = f"""
select
    count(*) as mqls,
    count(*) filter (where sales_decision = 'accepted') as sals,
    count(*) filter (where sql_at is not null) as sqls,
    count(*) filter (where opportunity_id is not null) as opportunities,
    count(*) filter (where outcome = 'won') as won,
    count(*) filter (where outcome = 'rejected') as rejected,
    count(*) filter (where entry_lane = 'fast_lane') as fast_lane
from {PUBLISHED_SCHEMA}.fct_lead_cycles
"""

CHANNEL_SQL = f"""
select
    channel,
    count(*) as mqls,
    round(count(*) filter (where sales_decision = 'accepted') / count(*), 3) as mql_to_sal,
    round(count(*) filter (where sql_at is not null) / count(*), 3) as mql_to_sql,
    count(*) filter (where outcome = 'won') as won
from {PUBLISHED_SCHEMA}.fct_lead_cycles
group by channel
order by mqls desc
"""

BREACH_SQL = f"""
select sla, status, count(*) as breaches, round(avg(hours_late), 1) as avg_hours_late
from {PUBLISHED_SCHEMA}.fct_sla_breaches
group by sla, status
order by sla, status
"""


# The field's claim: a lead answered within an hour qualifies far more often than one
# answered after a day. The groups are the contract's bucket names (fct_speed_to_lead);
# their bounds live in seed speed_to_lead_buckets.
SPEED_TO_LEAD_GROUPS = {
    "within an hour": ("within_5_minutes", "within_1_hour"),
    "after a day": ("within_2_days", "later"),
}

SPEED_TO_LEAD_SQL = f"""
select response_bucket, sum(cycles) as cycles, sum(sqls) as sqls
from {PUBLISHED_SCHEMA}.fct_speed_to_lead
group by response_bucket
"""


def summarise(con: duckdb.DuckDBPyConnection, source: str) -> MartsSummary:
    summary = MartsSummary(source=source)
    for relation in tables_in_schema(con, PUBLISHED_SCHEMA):
        summary.rows[relation] = con.execute(
            f'select count(*) from {PUBLISHED_SCHEMA}."{relation}"'
        ).fetchone()[0]
    if relation_exists(con, META_SCHEMA, "publication"):
        summary.as_of = con.execute(f"select max(as_of) from {META_SCHEMA}.publication").fetchone()[
            0
        ]
    elif relation_exists(con, META_SCHEMA, "publications"):
        summary.as_of = con.execute(
            f"select max(as_of) from {META_SCHEMA}.publications"
        ).fetchone()[0]
    if "fct_lead_cycles" in summary.rows:
        row = con.execute(FUNNEL_SQL).fetchone()
        names = ["mqls", "sals", "sqls", "opportunities", "won", "rejected", "fast_lane"]
        summary.funnel = dict(zip(names, row, strict=True))
        summary.by_channel = con.execute(CHANNEL_SQL).fetchall()
    if "fct_sla_breaches" in summary.rows:
        summary.breaches = con.execute(BREACH_SQL).fetchall()
    if "fct_speed_to_lead" in summary.rows:
        by_bucket = {
            bucket: (cycles, sqls)
            for bucket, cycles, sqls in con.execute(SPEED_TO_LEAD_SQL).fetchall()
        }
        for label, buckets in SPEED_TO_LEAD_GROUPS.items():
            cycles = sum(int(by_bucket.get(bucket, (0, 0))[0]) for bucket in buckets)
            sqls = sum(int(by_bucket.get(bucket, (0, 0))[1]) for bucket in buckets)
            summary.speed_to_lead[label] = (cycles, sqls)
    return summary


def summarise_published(path: Path) -> MartsSummary:
    with duckdb.connect(str(path), read_only=True) as con:
        return summarise(con, str(path))


def _rate(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.1%}" if denominator else "n/a"


def render(summary: MartsSummary) -> str:
    lines = [f"Marts in {summary.source}" + (f" (as of {summary.as_of})" if summary.as_of else "")]
    if summary.funnel:
        f = summary.funnel
        lines += [
            "",
            f"  MQLs {f['mqls']:,} (fast lane {f['fast_lane']:,})  ->  SALs {f['sals']:,} "
            f"({_rate(f['sals'], f['mqls'])})  ->  SQLs {f['sqls']:,} ({_rate(f['sqls'], f['sals'])} of SALs)"
            f"  ->  opportunities {f['opportunities']:,}  ->  won {f['won']:,}",
            f"  MQL->SQL {_rate(f['sqls'], f['mqls'])}; rejected {f['rejected']:,}",
            "",
            f"  {'channel':<22}{'MQLs':>8}{'MQL->SAL':>10}{'MQL->SQL':>10}{'won':>7}",
        ]
        lines += [
            f"  {channel:<22}{mqls:>8,}{sal:>10.1%}{sql:>10.1%}{won:>7,}"
            for channel, mqls, sal, sql, won in summary.by_channel
        ]
    if summary.breaches:
        lines += ["", "  SLA breaches:"]
        lines += [
            f"    {sla:<20}{status:<8}{count:>8,}  "
            + (f"avg {hours:.1f} working hours late" if hours is not None else "too few attempts")
            for sla, status, count, hours in summary.breaches
        ]
    if summary.speed_to_lead:
        lines += ["", "  Speed to lead (first completed sales task after the MQL), MQL->SQL:"]
        lines += [
            f"    {label:<16}{_rate(sqls, cycles):>7} of {cycles:,} cycles"
            for label, (cycles, sqls) in summary.speed_to_lead.items()
        ]
    if summary.rows:
        lines += [
            "",
            "  rows: "
            + ", ".join(f"{name} {count:,}" for name, count in sorted(summary.rows.items())),
        ]
    return "\n".join(lines)


def _audit_rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list:
    try:
        return con.execute(sql, params or []).fetchall()
    except duckdb.Error:  # a relation an older build did not write
        return []


def audit_lines(database: Path, run_id: str | None = None, *, limit: int = 4) -> list[str]:
    """What the audit found in this build, in a few lines: schema gaps, unmapped values,
    quarantine by table and reason, the data gate's warnings (every run prints them)."""
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return []
    lines: list[str] = []
    with con:
        gaps = _audit_rows(
            con,
            "select source_name || '.' || table_name, "
            "coalesce(column_name, '(whole table)'), gap from audit.source_schema_gaps "
            "order by gap = 'table_missing' desc, 1, 2",
        )
        if gaps:
            missing_tables = [t for t, _, gap in gaps if gap == "table_missing"]
            columns = [f"{t}.{c}" for t, c, gap in gaps if gap != "table_missing"]
            text = f"  schema gaps: {len(gaps)}"
            if missing_tables:
                text += f"; tables not landed: {', '.join(missing_tables[:limit])}"
                text += " ..." if len(missing_tables) > limit else ""
            if columns:
                text += f"; columns missing or cast: {', '.join(columns[:limit])}"
                text += f" (+{len(columns) - limit} more)" if len(columns) > limit else ""
            lines.append(text + " (audit.source_schema_gaps)")
        unmapped = _audit_rows(
            con,
            "select picklist, count(*), sum(rows_affected), "
            "string_agg(picklist_value, ', ' order by rows_affected desc) "
            "from audit.unmapped_values group by picklist order by 3 desc",
        )
        for picklist, values, rows, examples in unmapped:
            shown = ", ".join(examples.split(", ")[:limit])
            lines.append(
                f"  unmapped {picklist}: {values} value(s) on {int(rows):,} rows ({shown}) "
                "(audit.unmapped_values; `lead-funnel doctor` suggests seed rows)"
            )
        quarantine = _audit_rows(
            con,
            "select source_name || '.' || table_name, reason, count(*) from ("
            "select source_name, table_name, reason from quarantine.quarantine_salesforce "
            "union all select source_name, table_name, reason from quarantine.quarantine_marketo"
            ") group by all order by 3 desc, 1, 2",
        )
        if quarantine:
            total = sum(count for _, _, count in quarantine)
            shown = ", ".join(
                f"{table} {reason} {count:,}" for table, reason, count in quarantine[:limit]
            )
            more = f" (+{len(quarantine) - limit} more)" if len(quarantine) > limit else ""
            lines.append(
                f"  quarantined: {total:,} rows: {shown}{more} (quarantine.quarantine_<source>)"
            )
        if run_id:
            for rule, subject, message in _audit_rows(
                con,
                f"select rule, subject, message from {META_SCHEMA}.gate_results "
                "where run_id = ? and not passed order by rule, subject",
                [run_id],
            ):
                lines.append(f"  gate warning {rule} ({subject}): {message}")
    return ["Audit:", *lines] if lines else ["Audit: no schema gaps, unmapped values or quarantine"]
