"""`lead-funnel doctor`: what a warehouse holds against what the pipeline expects, before the
first run (nothing is built, dbt is not started; plain read-only DuckDB queries).

Per contract table (the sources yml, lead_funnel.contract): found or not (and where it
seems to be), missing columns, columns of another type with how many values will not cast
(and samples). Per picklist the seeds map (lead status, lead source, campaign type,
rejection reason, fast-lane form names): every value with its row count and current
mapping, unmapped first. Suggested seed rows (closest known value, or TODO) are written
to CSV files for the user to review and append to seeds/.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from lead_funnel import paths
from lead_funnel.contract import RawTable, raw_tables
from lead_funnel.gate import describe_where_tables_are
from lead_funnel.settings import DEFAULT_RAW_SCHEMAS
from lead_funnel.warehouse import connect

SAMPLES = 3
KEY = "lower(regexp_replace(trim(cast({0} as varchar)), '\\s+', ' ', 'g'))"


# picklist -> the data gate's unmapped_share subject (seeds/publication_gate.csv)
GATE_SUBJECTS = {
    "lead status": "status",
    "lead source": "lead_source",
    "campaign type": "campaign_type",
    "rejection reason": "rejection_reason_c",
}


def gate_limits() -> dict[str, tuple[float, int, str]]:
    """unmapped_share thresholds of the data gate, read from its seed (one place)."""
    rows = _seed_rows("publication_gate")
    return {
        r["subject"]: (float(r["threshold"]), int(r["min_rows"] or 0), r["action"])
        for r in rows
        if r["rule"] == "unmapped_share"
    }


@dataclass
class TableReport:
    source: str
    schema: str
    name: str
    found: bool
    rows: int = 0
    missing_columns: list[str] = field(default_factory=list)
    uncastable: list[tuple[str, str, str, int, list[str]]] = field(default_factory=list)
    where: str = ""


@dataclass
class PicklistValue:
    value: str | None
    rows: int
    mapped_to: str | None


@dataclass
class PicklistReport:
    name: str
    seed: str
    values: list[PicklistValue]
    unmapped_means: str


@dataclass
class DoctorReport:
    database: Path
    tables: list[TableReport]
    picklists: list[PicklistReport]
    suggestions: dict[str, Path] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        found = []
        lead = next(t for t in self.tables if t.source == "salesforce" and t.name == "lead")
        if not lead.found:
            found.append(f"no {lead.schema}.lead table")
        for table in self.tables:
            for column, *_ in table.uncastable:
                found.append(f"{table.schema}.{table.name}.{column} will not cast")
        for picklist in self.picklists:
            rule = GATE_SUBJECTS.get(picklist.name)
            limits = gate_limits().get(rule or "")
            if limits is None:
                continue
            threshold, min_rows, action = limits
            total = sum(v.rows for v in picklist.values)
            unmapped = sum(v.rows for v in picklist.values if v.mapped_to is None)
            if action == "block" and total >= min_rows and unmapped / total > threshold:
                found.append(
                    f"{unmapped:,} of {total:,} {picklist.name} rows ({unmapped / total:.1%}) "
                    f"are unmapped: the data gate refuses to publish past {threshold:.0%}"
                )
        return found


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _landed_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, str]:
    rows = con.execute(
        "select lower(column_name), data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return dict(rows)


def inspect_table(
    con: duckdb.DuckDBPyConnection, table: RawTable, schemas: Mapping[str, str]
) -> TableReport:
    schema = schemas[table.source]
    landed = _landed_columns(con, schema, table.name)
    report = TableReport(table.source, schema, table.name, bool(landed))
    if not landed:
        return report
    relation = f"{_quoted(schema)}.{_quoted(table.name)}"
    report.rows = int(con.execute(f"select count(*) from {relation}").fetchone()[0])
    for column in table.columns:
        landed_type = landed.get(column.name.lower())
        if landed_type is None:
            report.missing_columns.append(column.name)
            continue
        declared = column.data_type.upper()
        if landed_type.upper() == declared:
            continue
        quoted = _quoted(column.name)
        bad = f"{quoted} is not null and try_cast({quoted} as {declared}) is null"
        count = int(con.execute(f"select count(*) from {relation} where {bad}").fetchone()[0])
        if count:
            samples = [
                str(value)
                for (value,) in con.execute(
                    f"select distinct cast({quoted} as varchar) from {relation} where {bad} "
                    f"order by 1 limit {SAMPLES}"
                ).fetchall()
            ]
            report.uncastable.append((column.name, landed_type, declared, count, samples))
    return report


def _seed_rows(seed: str) -> list[dict[str, str]]:
    path = paths.SEEDS_DIR / f"{seed}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _key(value: str | None) -> str | None:
    return " ".join(value.split()).lower() if value is not None else None


def _values(con: duckdb.DuckDBPyConnection, selects: list[str]) -> list[tuple[str | None, int]]:
    """(value, rows) over the union of `selects` (each yields one column `v`), by cleaned key."""
    union = " union all ".join(selects)
    return [
        (value, int(rows))
        for value, rows in con.execute(
            f"select min(trim(cast(v as varchar))), count(*) from ({union}) "
            f"group by {KEY.format('v')} order by 2 desc, 1"
        ).fetchall()
    ]


def _exists(
    con: duckdb.DuckDBPyConnection,
    schemas: Mapping[str, str],
    source: str,
    table: str,
    *columns: str,
) -> bool:
    landed = _landed_columns(con, schemas[source], table)
    return bool(landed) and all(c.lower() in landed for c in columns)


def _relation(schemas: Mapping[str, str], source: str, table: str) -> str:
    return f"{_quoted(schemas[source])}.{_quoted(table)}"


def _picklist(
    name: str,
    seed: str,
    mapping: dict[str | None, str],
    values: list[tuple[str | None, int]],
    unmapped_means: str,
) -> PicklistReport:
    rows = [PicklistValue(value, count, mapping.get(_key(value))) for value, count in values]
    rows.sort(key=lambda v: (v.mapped_to is not None, -v.rows, v.value or ""))
    return PicklistReport(name, seed, rows, unmapped_means)


def inspect_picklists(
    con: duckdb.DuckDBPyConnection, schemas: Mapping[str, str]
) -> list[PicklistReport]:
    reports = []
    statuses = {_key(r["status_value"]): r["stage"] for r in _seed_rows("lead_status_map")}
    selects = []
    if _exists(con, schemas, "salesforce", "lead", "status"):
        selects.append(f"select status as v from {_relation(schemas, 'salesforce', 'lead')}")
    if _exists(con, schemas, "salesforce", "lead_history", "field", "new_value", "old_value"):
        history = _relation(schemas, "salesforce", "lead_history")
        selects += [
            f"select {side} as v from {history} where field = 'Status'"
            for side in ("new_value", "old_value")
        ]
    if selects:
        reports.append(
            _picklist(
                "lead status",
                "lead_status_map",
                statuses,
                [(v, n) for v, n in _values(con, selects) if v is not None],
                "stage `unmapped`: the status neither opens, decides nor closes a cycle",
            )
        )
    channel_rows = _seed_rows("channel_map")
    for picklist, table, column, applies in (
        ("lead source", "lead", "lead_source", "lead_source"),
        ("campaign type", "campaign", "type", "campaign_type"),
    ):
        if not _exists(con, schemas, "salesforce", table, column):
            continue
        mapping = {
            _key(r["source_value"]): r["channel"]
            for r in channel_rows
            if r["applies_to"] in (applies, "any")
        }
        reports.append(
            _picklist(
                picklist,
                "channel_map",
                mapping,
                _values(
                    con,
                    [
                        f"select {_quoted(column)} as v from {_relation(schemas, 'salesforce', table)}"
                    ],
                ),
                "channel `other` (volume moves to other; the funnel's meaning holds)",
            )
        )
    reasons = {_key(r["reason_label"]): r["reason_code"] for r in _seed_rows("rejection_reasons")}
    selects = []
    if _exists(con, schemas, "salesforce", "lead", "rejection_reason_c"):
        selects.append(
            f"select rejection_reason_c as v from {_relation(schemas, 'salesforce', 'lead')} "
            "where rejection_reason_c is not null"
        )
    if _exists(con, schemas, "salesforce", "lead_history", "field", "new_value"):
        selects.append(
            f"select new_value as v from {_relation(schemas, 'salesforce', 'lead_history')} "
            "where field = 'Rejection_Reason__c' and new_value is not null"
        )
    if selects:
        reports.append(
            _picklist(
                "rejection reason",
                "rejection_reasons",
                reasons,
                _values(con, selects),
                "reason code `unmapped` (no marketing fix is suggested)",
            )
        )
    if _exists(con, schemas, "marketo", "activity_fill_out_form", "primary_attribute_value"):
        forms = {_key(r["form_name"]): r["hand_raise_type"] for r in _seed_rows("fast_lane_forms")}
        reports.append(
            _picklist(
                "form name",
                "fast_lane_forms",
                forms,
                _values(
                    con,
                    [
                        "select primary_attribute_value as v from "
                        + _relation(schemas, "marketo", "activity_fill_out_form")
                    ],
                ),
                "not a hand raise (only listed forms open a fast-lane cycle)",
            )
        )
    return reports


SEED_COLUMNS = {
    "lead_status_map": ("status_value", "stage", "description"),
    "channel_map": ("source_value", "applies_to", "channel"),
    "rejection_reasons": ("reason_label", "reason_code", "category", "marketing_fix"),
}


def _closest(value: str, known: dict[str | None, str]) -> tuple[str | None, str | None]:
    """The mapping of the most similar known value (a renamed picklist keeps most letters)."""
    candidates = [k for k in known if k]
    key = _key(value) or ""
    match = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if not match:
        contained = [k for k in candidates if k in key or key in k]
        match = sorted(contained, key=len, reverse=True)[:1]
    return (match[0], known[match[0]]) if match else (None, None)


def suggested_rows(picklist: PicklistReport) -> list[dict[str, str]]:
    if picklist.seed not in SEED_COLUMNS:
        return []
    known: dict[str | None, str] = {}
    for value in picklist.values:
        if value.mapped_to is not None:
            known[_key(value.value)] = value.mapped_to
    if picklist.seed == "lead_status_map":
        known |= {_key(r["status_value"]): r["stage"] for r in _seed_rows("lead_status_map")}
    elif picklist.seed == "rejection_reasons":
        known |= {_key(r["reason_label"]): r["reason_code"] for r in _seed_rows(picklist.seed)}
    else:
        known |= {_key(r["source_value"]): r["channel"] for r in _seed_rows("channel_map")}
    rows = []
    for value in picklist.values:
        if value.mapped_to is not None or value.value is None:
            continue
        similar, target = _closest(value.value, known)
        note = (
            f"suggested by lead-funnel doctor ({value.rows:,} rows); like {similar!r}"
            if similar
            else f"suggested by lead-funnel doctor ({value.rows:,} rows); no similar value: choose"
        )
        if picklist.seed == "lead_status_map":
            rows.append(
                {"status_value": value.value, "stage": target or "TODO", "description": note}
            )
        elif picklist.seed == "channel_map":
            applies = "campaign_type" if picklist.name == "campaign type" else "lead_source"
            rows.append(
                {"source_value": value.value, "applies_to": applies, "channel": target or "other"}
            )
        else:
            code = target or "_".join((_key(value.value) or "todo").split())
            rows.append(
                {
                    "reason_label": value.value,
                    "reason_code": code,
                    "category": "TODO",
                    "marketing_fix": note,
                }
            )
    return rows


def write_suggestions(report: DoctorReport, directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    by_seed: dict[str, list[dict[str, str]]] = {}
    for picklist in report.picklists:
        by_seed.setdefault(picklist.seed, []).extend(suggested_rows(picklist))
    for seed, rows in by_seed.items():
        path = directory / f"{seed}.suggested.csv"
        if not rows:
            path.unlink(missing_ok=True)
            continue
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(SEED_COLUMNS[seed]))
            writer.writeheader()
            writer.writerows(rows)
        written[seed] = path
    return written


def diagnose(
    database: Path,
    output_dir: Path | None = None,
    *,
    raw_schemas: Mapping[str, str] = DEFAULT_RAW_SCHEMAS,
) -> DoctorReport:
    """The raw tables of `database` as landed in `raw_schemas` (source -> schema)."""
    with connect(database, read_only=True) as con:
        tables = [inspect_table(con, table, raw_schemas) for table in raw_tables()]
        for source in ("salesforce", "marketo"):
            if not any(t.found for t in tables if t.source == source):
                where = describe_where_tables_are(con, source, raw_schemas)
                for table in tables:
                    if table.source == source:
                        table.where = where
        report = DoctorReport(database, tables, inspect_picklists(con, raw_schemas))
    if output_dir is not None:
        report.suggestions = write_suggestions(report, output_dir)
    return report


def render(report: DoctorReport, *, limit: int = 12) -> str:
    lines = [f"lead-funnel doctor: {report.database} (read only; nothing built)", ""]
    lines.append("Tables (against the sources yml, dbt_project/models/staging/*/_*__sources.yml):")
    for source in ("salesforce", "marketo"):
        tables = [t for t in report.tables if t.source == source]
        found = [t for t in tables if t.found]
        lines.append(
            f"  {source} in schema {tables[0].schema}: {len(found)} of {len(tables)} found"
        )
        if not found and tables[0].where:
            lines.append(f"    none found; {tables[0].where}")
        for table in tables:
            if not table.found:
                if found:
                    lines.append(f"    {table.name}: MISSING (staging uses an empty table)")
                continue
            status = f"{table.rows:,} rows"
            if table.missing_columns:
                status += f"; missing columns: {', '.join(table.missing_columns)}"
            lines.append(f"    {table.name}: {status}")
            for column, landed, declared, count, samples in table.uncastable:
                lines.append(
                    f"      {column} is {landed}, declared {declared}: {count:,} values will not "
                    f"cast (quarantined as unparseable:{column}), e.g. "
                    + ", ".join(repr(s) for s in samples)
                )
    for picklist in report.picklists:
        unmapped = [v for v in picklist.values if v.mapped_to is None]
        lines += [
            "",
            f"{picklist.name.capitalize()} ({len(picklist.values)} values, {len(unmapped)} "
            f"not in seeds/{picklist.seed}.csv, meaning {picklist.unmapped_means}):",
        ]
        for value in picklist.values[:limit]:
            shown = "(empty)" if value.value is None else repr(value.value)
            mapped = value.mapped_to or (
                "not a hand raise" if picklist.seed == "fast_lane_forms" else "UNMAPPED"
            )
            lines.append(f"  {mapped:<22} {value.rows:>9,}  {shown}")
        if len(picklist.values) > limit:
            lines.append(
                f"  ... and {len(picklist.values) - limit} more (all mapped)"
                if all(v.mapped_to for v in picklist.values[limit:])
                else f"  ... and {len(picklist.values) - limit} more"
            )
    lines.append("")
    if report.suggestions:
        lines.append("Suggested seed rows (review, then append them to the seed in seeds/):")
        lines += [f"  {seed}: {path}" for seed, path in report.suggestions.items()]
    else:
        lines.append("Every picklist value is mapped: no seed rows to suggest.")
    problems = report.problems
    lines.append("")
    lines.append(
        f"Ready: lead-funnel run --database {report.database}"
        if not problems
        else "Fix before the first run: " + "; ".join(problems)
    )
    return "\n".join(lines)
