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
    if summary.rows:
        lines += [
            "",
            "  rows: "
            + ", ".join(f"{name} {count:,}" for name, count in sorted(summary.rows.items())),
        ]
    return "\n".join(lines)
