"""The data gate before publication: a build that passes every test can still be the wrong
build (every status unmapped after a picklist rename, an as-of before the data, Marketo read
from a schema that is not there). The gate compares the candidate build with the last
publication and with the audit tables dbt already wrote, and refuses to publish when a
blocking rule of the seed `publication_gate` fails, unless the user accepts that rule
(`lead-funnel run --accept RULE`; recorded in lead_funnel_meta.gate_acceptances).

Rules (the thresholds, minimum row counts and actions live in seeds/publication_gate.csv):

| rule | value judged |
|---|---|
| mart_shrink | 1 - rows now / rows in the last publication, per contract mart |
| unmapped_share | unmapped / all, per picklist (status blocks; sources, campaign types warn) |
| quarantine_share | quarantined / raw rows, per raw table |
| source_missing | a source the last publication read has no raw rows now |
| as_of_before_data / as_of_after_data | days between the as-of and the leads' creation dates |
"""

from __future__ import annotations

import csv
import getpass
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import duckdb

from lead_funnel import paths
from lead_funnel.contract import raw_tables
from lead_funnel.settings import BUILD_SCHEMA, DEFAULT_RAW_SCHEMAS, META_SCHEMA, PUBLISHED_SCHEMA
from lead_funnel.warehouse import relation_exists

GATE_SEED_FILE = "publication_gate.csv"
OWN_SCHEMAS = {
    "seeds",
    "staging",
    "quarantine",
    "intermediate",
    "audit",
    "marts",
    BUILD_SCHEMA,
    META_SCHEMA,
    "lead_funnel_generator",
}
SOURCE_LABELS = {"salesforce": "Salesforce", "marketo": "Marketo"}
SCHEMA_FLAGS = {"salesforce": "--salesforce-schema", "marketo": "--marketo-schema"}

# picklist -> (relation, denominator filter, unmapped filter, what a row is, seed to edit)
PICKLISTS = {
    "status": (
        "intermediate.int_lead_status_changes",
        "true",
        "not is_stage_mapped",
        "status changes",
        "lead_status_map",
    ),
    "lead_source": (
        "intermediate.int_lead_attributes",
        "true",
        "not is_channel_mapped",
        "leads",
        "channel_map",
    ),
    "campaign_type": (
        "intermediate.int_campaign_spend",
        "true",
        "not is_channel_mapped",
        "campaigns",
        "channel_map",
    ),
    "rejection_reason_c": (
        "intermediate.int_lead_cycles",
        "rejection_reason_label is not null",
        "rejection_reason = 'unmapped'",
        "cycles with a reason",
        "rejection_reasons",
    ),
}


@dataclass(frozen=True)
class GateRule:
    rule: str
    subject: str
    threshold: float | None
    min_rows: int | None
    action: str  # block | warn


@dataclass
class GateFinding:
    rule: str
    subject: str
    action: str
    value: float | None
    threshold: float | None
    passed: bool
    message: str = ""
    accepted: bool = False
    short: str = ""  # the finding in a few words, for the one line per rule

    @property
    def name(self) -> str:
        return self.rule if self.subject == "*" else f"{self.rule}:{self.subject}"

    def row(self) -> list[object]:
        return [
            self.rule,
            self.subject,
            self.action,
            self.value,
            self.threshold,
            self.passed,
            self.accepted,
            self.message,
        ]

    @property
    def blocks(self) -> bool:
        return not self.passed and self.action == "block" and not self.accepted

    @property
    def warns(self) -> bool:
        return not self.passed and (self.action == "warn" or self.accepted)


def _pct(value: float) -> str:
    return f"{value:.1%}"


def load_rules() -> list[GateRule]:
    """The seed's rules, read from the CSV (the gate also judges before dbt has seeded)."""
    with (paths.SEEDS_DIR / GATE_SEED_FILE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        GateRule(
            row["rule"],
            row["subject"],
            float(row["threshold"]) if row["threshold"] else None,
            int(row["min_rows"]) if row["min_rows"] else None,
            row["action"],
        )
        for row in rows
    ]


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):  # type: ignore[no-untyped-def]
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def _quoted(schema: str, table: str) -> str:
    return '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'


def _mart_shrink(con: duckdb.DuckDBPyConnection, rule: GateRule) -> GateFinding:
    mart = rule.subject
    finding = GateFinding(rule.rule, mart, rule.action, None, rule.threshold, True)
    if not relation_exists(con, PUBLISHED_SCHEMA, mart):
        return finding  # nothing published before: nothing to shrink from
    before = int(_scalar(con, f'select count(*) from {PUBLISHED_SCHEMA}."{mart}"') or 0)
    now = (
        int(_scalar(con, f'select count(*) from {BUILD_SCHEMA}."{mart}"') or 0)
        if relation_exists(con, BUILD_SCHEMA, mart)
        else 0
    )
    if before < (rule.min_rows or 0) or before == 0:
        return finding
    finding.value = max(0.0, 1 - now / before)
    if rule.threshold is not None and finding.value > rule.threshold:
        finding.passed = False
        finding.message = (
            f"marts.{mart} would shrink from {before:,} to {now:,} rows "
            f"(-{_pct(finding.value)}; threshold -{_pct(rule.threshold)})"
        )
        finding.short = f"{mart} {before:,} -> {now:,}"
    return finding


def _unmapped_share(con: duckdb.DuckDBPyConnection, rule: GateRule) -> GateFinding:
    finding = GateFinding(rule.rule, rule.subject, rule.action, None, rule.threshold, True)
    if rule.subject not in PICKLISTS:
        return finding
    relation, among, unmapped, unit, seed = PICKLISTS[rule.subject]
    schema, name = relation.split(".")
    if not relation_exists(con, schema, name):
        return finding
    total, missing = con.execute(
        f"select count(*) filter (where {among}), count(*) filter (where {among} and {unmapped}) "
        f"from {relation}"
    ).fetchone()
    if not total or total < (rule.min_rows or 0):
        return finding
    finding.value = missing / total
    if rule.threshold is not None and finding.value > rule.threshold:
        finding.passed = False
        top = con.execute(
            "select picklist_value, rows_affected from audit.unmapped_values "
            "where picklist = ? order by rows_affected desc, picklist_value limit 3",
            [rule.subject],
        ).fetchall()
        shown = ", ".join(f"{value!r} {rows:,}" for value, rows in top)
        finding.message = (
            f"{missing:,} of {total:,} {unit} ({_pct(finding.value)}) carry a {rule.subject} "
            f"value seeds/{seed}.csv does not map (threshold {_pct(rule.threshold)})"
            + (f"; most common: {shown}" if shown else "")
            + f". Map them in seeds/{seed}.csv (`lead-funnel doctor` suggests the rows)"
        )
    return finding


def _quarantine_shares(
    con: duckdb.DuckDBPyConnection, rule: GateRule, schemas: Mapping[str, str]
) -> list[GateFinding]:
    if not relation_exists(con, "audit", "reconciliation_raw_rows"):
        return []
    rows = con.execute(
        "select source_name, table_name, raw_rows, quarantined_rows "
        "from audit.reconciliation_raw_rows where raw_rows >= ? order by 1, 2",
        [rule.min_rows or 0],
    ).fetchall()
    findings = []
    for source, table, raw, quarantined in rows:
        if not raw:
            continue
        subject = f"{source}.{table}"
        finding = GateFinding(
            rule.rule, subject, rule.action, quarantined / raw, rule.threshold, True
        )
        if rule.threshold is not None and finding.value > rule.threshold:
            finding.passed = False
            reasons = con.execute(
                f"select reason, count(*) from quarantine.quarantine_{source} "
                "where table_name = ? group by reason order by 2 desc, 1 limit 3",
                [table],
            ).fetchall()
            shown = ", ".join(f"{reason} {count:,}" for reason, count in reasons)
            finding.short = f"{schemas[source]}.{table} {_pct(finding.value)}" + (
                f" ({reasons[0][0]})" if reasons else ""
            )
            finding.message = (
                f"{schemas[source]}.{table}: {quarantined:,} of {raw:,} rows "
                f"({_pct(finding.value)}) quarantined (threshold {_pct(rule.threshold)})"
                + (f"; reasons: {shown}" if shown else "")
                + f". The rows are in quarantine.quarantine_{source}"
            )
        findings.append(finding)
    return findings


def where_tables_seem_to_be(
    con: duckdb.DuckDBPyConnection, source: str, schemas: Mapping[str, str]
) -> list[tuple[str, int]]:
    """Other schemas of the file holding tables named like `source`'s own contract tables."""
    own = {t.name for t in raw_tables() if t.source == source}
    others = {t.name for t in raw_tables() if t.source != source}
    distinctive = sorted(own - others)
    if not distinctive:
        return []
    placeholders = ", ".join("?" for _ in distinctive)
    rows = con.execute(
        "select schema_name, count(*) from duckdb_tables() "
        f"where database_name = current_database() and lower(table_name) in ({placeholders}) "
        "group by schema_name order by 2 desc, 1",
        distinctive,
    ).fetchall()
    return [
        (schema, count)
        for schema, count in rows
        if schema not in OWN_SCHEMAS and schema != schemas[source]
    ]


def describe_where_tables_are(
    con: duckdb.DuckDBPyConnection, source: str, schemas: Mapping[str, str]
) -> str:
    candidates = where_tables_seem_to_be(con, source, schemas)
    label = SOURCE_LABELS.get(source, source)
    if not candidates:
        return f"no other schema in the file holds {label}-named tables"
    schema, count = candidates[0]
    example = "activity_fill_out_form" if source == "marketo" else "lead_history"
    return (
        f"schema {schema} holds {count} {label}-named tables (such as {example}): "
        f"add {SCHEMA_FLAGS.get(source, '--' + source + '-schema')} {schema}"
    )


def raw_rows_now(con: duckdb.DuckDBPyConnection, source: str, schema: str) -> int:
    """Rows in the source's contract tables as landed now in `schema` (read before anything
    is built)."""
    landed = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = ?",
            [schema],
        ).fetchall()
    }
    counts = [
        f"(select count(*) from {_quoted(schema, t.name)})"
        for t in raw_tables()
        if t.source == source and t.name in landed
    ]
    return int(_scalar(con, "select " + " + ".join(counts)) or 0) if counts else 0


def _source_missing(
    con: duckdb.DuckDBPyConnection, rule: GateRule, schemas: Mapping[str, str]
) -> list[GateFinding]:
    if not relation_exists(con, META_SCHEMA, "published_sources"):
        return []
    last = con.execute(
        f"select source_name, schema_name, raw_rows from {META_SCHEMA}.published_sources "
        f"where run_id = (select run_id from {META_SCHEMA}.publications "
        "order by published_at desc limit 1)"
    ).fetchall()
    findings = []
    for source, schema, before in last:
        if rule.subject not in ("*", source) or not before:
            continue
        rows_now = raw_rows_now(con, source, schemas[source])
        finding = GateFinding(rule.rule, source, rule.action, float(rows_now), None, rows_now > 0)
        if not finding.passed:
            label = SOURCE_LABELS.get(source, source)
            finding.message = (
                f"{label} is missing: the last publication read {int(before):,} raw rows from "
                f"{schema}, this run found none in {schemas[source]}; "
                + describe_where_tables_are(con, source, schemas)
            )
        findings.append(finding)
    return findings


def lead_creation_window(
    con: duckdb.DuckDBPyConnection, crm_schema: str
) -> tuple[datetime | None, datetime | None]:
    table = _quoted(crm_schema, "lead")
    row = con.execute(
        f"select min(try_cast(created_date as timestamp)), max(try_cast(created_date as timestamp)) "
        f"from {table}"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _as_of_rule(
    con: duckdb.DuckDBPyConnection, rule: GateRule, as_of: datetime, crm_schema: str
) -> GateFinding | None:
    if not relation_exists(con, crm_schema, "lead"):
        return None
    first, last = lead_creation_window(con, crm_schema)
    finding = GateFinding(rule.rule, rule.subject, rule.action, None, rule.threshold, True)
    limit = rule.threshold or 0.0
    if rule.rule == "as_of_before_data" and first is not None:
        finding.value = (first - as_of).total_seconds() / 86400
        if finding.value > limit:
            finding.passed = False
            finding.message = (
                f"the as-of {as_of} lies {finding.value:,.1f} days before the first lead "
                f"(created {first}; threshold {limit:g} days): every row would be in the "
                f"future. Pass an --as-of between {first} and {last}"
            )
    elif rule.rule == "as_of_after_data" and last is not None:
        finding.value = (as_of - last).total_seconds() / 86400
        if finding.value > limit:
            finding.passed = False
            finding.message = (
                f"the as-of {as_of} lies {finding.value:,.1f} days after the last lead was "
                f"created ({last}; threshold {limit:g} days): is this the right file, or a stale "
                "export? Pass an --as-of closer to the data"
            )
    return finding


def evaluate_sources(
    con: duckdb.DuckDBPyConnection, raw_schemas: Mapping[str, str] = DEFAULT_RAW_SCHEMAS
) -> list[GateFinding]:
    """source_missing alone: judged before dbt runs too (a missing source fails fast)."""
    findings: list[GateFinding] = []
    for rule in load_rules():
        if rule.rule == "source_missing":
            findings += _source_missing(con, rule, raw_schemas)
    return findings


def evaluate(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    raw_schemas: Mapping[str, str] = DEFAULT_RAW_SCHEMAS,
) -> list[GateFinding]:
    """Every rule of the seed judged on the candidate build in marts_build, the raw tables
    read from `raw_schemas` (source -> schema)."""
    findings: list[GateFinding] = []
    for rule in load_rules():
        if rule.rule == "mart_shrink":
            findings.append(_mart_shrink(con, rule))
        elif rule.rule == "unmapped_share":
            findings.append(_unmapped_share(con, rule))
        elif rule.rule == "quarantine_share":
            findings += _quarantine_shares(con, rule, raw_schemas)
        elif rule.rule == "source_missing":
            findings += _source_missing(con, rule, raw_schemas)
        elif rule.rule in ("as_of_before_data", "as_of_after_data"):
            found = _as_of_rule(con, rule, as_of, raw_schemas["salesforce"])
            if found is not None:
                findings.append(found)
    return findings


def parse_accepted(text: str | Iterable[str] | None) -> set[str]:
    if not text:
        return set()
    parts = text.split(",") if isinstance(text, str) else list(text)
    return {part.strip() for part in parts if part.strip()}


def apply_acceptance(findings: list[GateFinding], accepted: set[str]) -> None:
    for finding in findings:
        if not finding.passed and (finding.rule in accepted or finding.name in accepted):
            finding.accepted = True


def accepted_by() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def ensure_gate_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {META_SCHEMA}")
    con.execute(
        f"create table if not exists {META_SCHEMA}.gate_results (run_id varchar, as_of timestamp, "
        "evaluated_at timestamp, rule varchar, subject varchar, action varchar, value double, "
        "threshold double, passed boolean, accepted boolean, message varchar)"
    )
    con.execute(
        f"create table if not exists {META_SCHEMA}.gate_acceptances (run_id varchar, "
        "as_of timestamp, accepted_at timestamp, accepted_by varchar, rule varchar, "
        "subject varchar, value double, threshold double, message varchar)"
    )


def record(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    as_of: datetime,
    findings: list[GateFinding],
    who: str,
) -> None:
    """The verdict of the run (publication reads it) and every acceptance, with who made it."""
    ensure_gate_tables(con)
    now = "cast(timezone('UTC', now()) as timestamp)"
    con.execute("begin transaction")
    con.execute(f"delete from {META_SCHEMA}.gate_results where run_id = ?", [run_id])
    con.execute(f"delete from {META_SCHEMA}.gate_acceptances where run_id = ?", [run_id])
    rows = [[run_id, as_of, *f.row()] for f in findings] or [
        [run_id, as_of, "gate", "*", "block", None, None, True, False, "no rule applied"]
    ]
    con.executemany(
        f"insert into {META_SCHEMA}.gate_results values (?, ?, {now}, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    accepted = [
        [run_id, as_of, who, f.rule, f.subject, f.value, f.threshold, f.message]
        for f in findings
        if f.accepted
    ]
    if accepted:
        con.executemany(
            f"insert into {META_SCHEMA}.gate_acceptances values (?, ?, {now}, ?, ?, ?, ?, ?, ?)",
            accepted,
        )
    con.execute("commit")


def refusals_for_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str] | None:
    """The blocking, unaccepted findings of the run; None when the gate did not run."""
    if not relation_exists(con, META_SCHEMA, "gate_results"):
        return None
    rows = con.execute(
        f"select rule, subject, action, passed, accepted, message from {META_SCHEMA}.gate_results "
        "where run_id = ?",
        [run_id],
    ).fetchall()
    if not rows:
        return None
    return [
        message
        for _, _, action, passed, accepted, message in rows
        if action == "block" and not passed and not accepted
    ]


RULE_ORDER = (
    "as_of_before_data",
    "as_of_after_data",
    "source_missing",
    "unmapped_share",
    "quarantine_share",
    "mart_shrink",
)
SHOWN = 4


def _listed(findings: list[GateFinding]) -> str:
    shown = ", ".join(f.short for f in findings[:SHOWN])
    return shown + (f" (+{len(findings) - SHOWN} more)" if len(findings) > SHOWN else "")


def summarise_rule(rule: str, failed: list[GateFinding]) -> str:
    """One rule's failed findings as one line: what, the values, the threshold, the override."""
    threshold = failed[0].threshold
    if rule == "mart_shrink" and len(failed) > 1:
        text = (
            f"{len(failed)} contract marts would shrink by more than {_pct(threshold or 0)} "
            f"against the last publication: {_listed(failed)} rows"
        )
    elif rule == "quarantine_share" and len(failed) > 1:
        text = (
            f"{len(failed)} raw tables are more than {_pct(threshold or 0)} quarantined: "
            f"{_listed(failed)}; rows and reasons in quarantine.quarantine_<source>"
        )
    else:
        text = "; ".join(f.message for f in failed)
    return f"{text}. [gate rule {rule}; to publish anyway: --accept {rule}]"


def record_published_sources(
    con: duckdb.DuckDBPyConnection, run_id: str, raw_schemas: Mapping[str, str]
) -> None:
    """Which sources (and how many raw rows) a publication read: source_missing compares."""
    con.execute(
        f"create table if not exists {META_SCHEMA}.published_sources "
        "(run_id varchar, source_name varchar, schema_name varchar, raw_rows bigint)"
    )
    if not relation_exists(con, "audit", "reconciliation_raw_rows"):
        return
    for source, schema in raw_schemas.items():
        rows = _scalar(
            con,
            "select coalesce(sum(raw_rows), 0) from audit.reconciliation_raw_rows "
            "where source_name = ?",
            [source],
        )
        con.execute(
            f"insert into {META_SCHEMA}.published_sources values (?, ?, ?, ?)",
            [run_id, source, schema, int(rows or 0)],
        )
