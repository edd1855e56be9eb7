"""Small, correct marts built by hand, and the smallest break of each invariant.

Every value below is chosen so that every invariant holds (boundaries included: a fit score
exactly at the gate, a score exactly at the threshold, an inferred SAL at the SQL's time); each
entry of ``BREAKS`` changes one value so that exactly one invariant fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

AS_OF = datetime(2025, 5, 1, 2, 0, 0)
STAGES_SEED = Path(__file__).resolve().parents[2] / "seeds" / "stages.csv"

# intermediate.int_settings as dbt builds it from the settings seeds (the columns the rules read)
SETTINGS = {
    "engagement_half_life_days": 30.0,
    "fit_gate": 35.0,
    "mql_threshold": 60.0,
    "sql_min_bant_flags": 3.0,
}
REJECTION_REASONS = [
    ("Not currently evaluating", "not_evaluating", "timing", "Use intent targeting"),
    ("Student or consultant", "student_or_consultant", "fit", "Score students negatively"),
    ("No response", "no_response", "timing", "Check the follow-up attempts SLA"),
]

CYCLE_COLUMNS = """
    cycle_id varchar, lead_id varchar, cycle_number integer, entry_lane varchar,
    channel varchar, lead_source varchar, mql_at timestamp, sales_decision_at timestamp,
    sales_decision varchar, sal_at timestamp, rejected_at timestamp, rejection_reason varchar,
    recycled_at timestamp, disqualified_at timestamp, sql_at timestamp, opportunity_id varchar,
    opportunity_created_at timestamp, won_at timestamp, lost_at timestamp, amount double,
    outcome varchar, score_at_mql double, fit_score_at_mql double, owner_id varchar,
    cohort_month date, closed_at timestamp, is_sal_inferred boolean, is_sql_inferred boolean,
    has_out_of_order_source boolean, bant_flags_count integer, is_current_cycle boolean
"""


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def cycle(cycle_id: str, lane: str, mql_at: str, owner: str = "005NY", **values: Any) -> dict:
    lead_id, number = cycle_id.rsplit("-", 1)
    mql = t(mql_at)
    row: dict[str, Any] = {
        "cycle_id": cycle_id,
        "lead_id": lead_id,
        "cycle_number": int(number),
        "entry_lane": lane,
        "channel": "paid_search",
        "lead_source": "Paid Search",
        "mql_at": mql,
        "outcome": "open",
        "owner_id": owner,
        "cohort_month": date(mql.year, mql.month, 1),
        "is_sal_inferred": False,
        "is_sql_inferred": False,
        "has_out_of_order_source": False,
        "is_current_cycle": True,
    }
    for name, value in values.items():
        row[name] = t(value) if isinstance(value, str) and name.endswith("_at") else value
    return row


CYCLES = [
    # score lane, every stage recorded, won
    cycle(
        "L01-1",
        "score",
        "2025-03-03 10:00:00",
        sales_decision_at="2025-03-03 12:00:00",
        sales_decision="accepted",
        sal_at="2025-03-03 12:00:00",
        sql_at="2025-03-05 10:00:00",
        opportunity_id="006O01",
        opportunity_created_at="2025-03-07 10:00:00",
        won_at="2025-04-01 10:00:00",
        closed_at="2025-04-01 10:00:00",
        amount=50000.0,
        outcome="won",
        score_at_mql=72.0,
        fit_score_at_mql=40.0,
        bant_flags_count=4,
    ),
    # recycled, then a manual re-MQL opens cycle 2, accepted and still open
    cycle(
        "L02-1",
        "score",
        "2025-03-04 09:00:00",
        sales_decision_at="2025-03-05 09:00:00",
        sales_decision="recycled",
        recycled_at="2025-03-05 09:00:00",
        closed_at="2025-03-05 09:00:00",
        outcome="recycled",
        score_at_mql=65.0,
        fit_score_at_mql=38.0,
        is_current_cycle=False,
    ),
    cycle(
        "L02-2",
        "manual",
        "2025-04-10 10:00:00",
        owner="005LDN",
        sales_decision_at="2025-04-10 15:00:00",
        sales_decision="accepted",
        sal_at="2025-04-10 15:00:00",
        score_at_mql=61.0,
        fit_score_at_mql=36.0,
    ),
    # fast lane, no decision yet: its low score does not matter
    cycle("L03-1", "fast_lane", "2025-03-10 09:30:00", score_at_mql=20.0, fit_score_at_mql=10.0),
    # disqualified with a reason; score and fit exactly at the threshold and the gate
    cycle(
        "L04-1",
        "score",
        "2025-03-03 10:00:00",
        sales_decision_at="2025-03-06 10:00:00",
        sales_decision="disqualified",
        disqualified_at="2025-03-06 10:00:00",
        rejection_reason="student_or_consultant",
        closed_at="2025-03-06 10:00:00",
        outcome="disqualified",
        score_at_mql=60.0,
        fit_score_at_mql=35.0,
    ),
    # MQL straight to Sales Qualified: SAL inferred at the SQL's time
    cycle(
        "L05-1",
        "manual",
        "2025-03-03 11:00:00",
        sales_decision_at="2025-03-05 11:00:00",
        sales_decision="accepted",
        sal_at="2025-03-05 11:00:00",
        is_sal_inferred=True,
        sql_at="2025-03-05 11:00:00",
        score_at_mql=80.0,
        fit_score_at_mql=50.0,
        bant_flags_count=3,
    ),
    # MQL straight to Converted, lost: SAL and SQL inferred
    cycle(
        "L06-1",
        "score",
        "2025-03-03 12:00:00",
        sales_decision_at="2025-03-07 10:00:00",
        sales_decision="accepted",
        sal_at="2025-03-07 10:00:00",
        is_sal_inferred=True,
        sql_at="2025-03-07 10:00:00",
        is_sql_inferred=True,
        opportunity_id="006O06",
        opportunity_created_at="2025-03-07 10:00:00",
        lost_at="2025-04-30 12:00:00",
        closed_at="2025-04-30 12:00:00",
        amount=20000.0,
        outcome="lost",
        score_at_mql=70.0,
        fit_score_at_mql=45.0,
        bant_flags_count=4,
    ),
    # rejected with a reason, score unknown at MQL time
    cycle(
        "L07-1",
        "manual",
        "2025-04-10 10:00:00",
        owner="005LDN",
        sales_decision_at="2025-04-11 15:00:00",
        sales_decision="rejected",
        rejected_at="2025-04-11 15:00:00",
        rejection_reason="not_evaluating",
        closed_at="2025-04-11 15:00:00",
        outcome="rejected",
    ),
]

FUNNEL_COLUMNS = """
    cohort_month date, channel varchar, lead_source varchar, mqls bigint, fast_lane_mqls bigint,
    sals bigint, rejected bigint, recycled bigint, disqualified bigint, sqls bigint,
    opportunities bigint, won bigint, lost bigint, pipeline_amount double, won_amount double,
    spend double, mql_to_sal_rate double, sal_to_sql_rate double,
    sql_to_opportunity_rate double, opportunity_to_won_rate double, mql_to_sql_rate double,
    cost_per_mql double,
    cost_per_sal double, cost_per_sql double, cost_per_opportunity double,
    median_hours_mql_to_decision double, median_days_mql_to_sql double
"""
FUNNEL = [
    {
        "cohort_month": date(2025, 3, 1),
        "channel": "paid_search",
        "lead_source": "Paid Search",
        "mqls": 6,
        "fast_lane_mqls": 1,
        "sals": 4,
        "rejected": 0,
        "recycled": 1,
        "disqualified": 1,
        "sqls": 3,
        "opportunities": 2,
        "won": 1,
        "lost": 1,
        "pipeline_amount": 70000.0,
        "won_amount": 50000.0,
        "spend": 1200.0,
        "mql_to_sal_rate": 4 / 6,
        "sal_to_sql_rate": 0.75,
        "sql_to_opportunity_rate": 2 / 3,
        "opportunity_to_won_rate": 0.5,
        "mql_to_sql_rate": 0.5,
        "cost_per_mql": 200.0,
        "cost_per_sal": 300.0,
        "cost_per_sql": 400.0,
        "cost_per_opportunity": 600.0,
        "median_hours_mql_to_decision": 26.0,
        "median_days_mql_to_sql": 2.0,
    },
    # a cohort with nothing past SAL: rates with a zero denominator are null, 0 is a fraction
    {
        "cohort_month": date(2025, 4, 1),
        "channel": "webinar",
        "lead_source": "Webinar",
        "mqls": 2,
        "fast_lane_mqls": 0,
        "sals": 1,
        "rejected": 1,
        "recycled": 0,
        "disqualified": 0,
        "sqls": 0,
        "opportunities": 0,
        "won": 0,
        "lost": 0,
        "pipeline_amount": 0.0,
        "won_amount": 0.0,
        "spend": 0.0,
        "mql_to_sal_rate": 0.5,
        "sal_to_sql_rate": 0.0,
        "sql_to_opportunity_rate": None,
        "opportunity_to_won_rate": None,
    },
]

ATTRIBUTION_COLUMNS = """
    cohort_month date, channel varchar, model varchar, attributed_mqls double,
    attributed_opportunities double, attributed_pipeline_amount double, attributed_won double,
    attributed_won_amount double, spend double
"""
MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)
# Two models sharing out FUNNEL exactly: March 6 MQLs, 2 opportunities (70k), 1 won (50k);
# April 2 MQLs. Columns: month, channel, model, MQLs, opportunities, pipeline, won, won amount.
ATTRIBUTION = [
    (MARCH, "paid_search", "first_touch", 4.0, 2.0, 70000.0, 1.0, 50000.0, 1200.0),
    (MARCH, "email", "first_touch", 2.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (MARCH, "paid_search", "linear", 3.5, 1.25, 43750.0, 0.5, 25000.0, 1200.0),
    (MARCH, "webinar", "linear", 2.5, 0.75, 26250.0, 0.5, 25000.0, 0.0),
    (APRIL, "webinar", "first_touch", 2.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (APRIL, "webinar", "linear", 1.5, 0.0, 0.0, 0.0, 0.0, 0.0),
    (APRIL, "email", "linear", 0.5, 0.0, 0.0, 0.0, 0.0, 0.0),
]

SCORE_COLUMNS = """
    lead_id varchar, as_of timestamp, fit_score double, engagement_score double,
    intent_score double, negative_score double, total_score double, is_mql_eligible boolean,
    fast_lane_signal_at timestamp, is_fit_gate_passed boolean
"""
SCORES = [
    {
        "lead_id": "L01",
        "as_of": AS_OF,
        "fit_score": 40.0,
        "engagement_score": 20.5,
        "intent_score": 15.0,
        "negative_score": -5.0,
        "total_score": 70.5,
        "is_mql_eligible": True,
        "is_fit_gate_passed": True,
    },
    # exactly at the gate
    {
        "lead_id": "L02",
        "as_of": AS_OF,
        "fit_score": 35.0,
        "engagement_score": 30.0,
        "intent_score": 0.0,
        "negative_score": 0.0,
        "total_score": 65.0,
        "is_mql_eligible": True,
        "is_fit_gate_passed": True,
    },
    # a high total below the fit gate: not eligible
    {
        "lead_id": "L03",
        "as_of": AS_OF,
        "fit_score": 10.0,
        "engagement_score": 50.0,
        "intent_score": 30.0,
        "negative_score": -10.0,
        "total_score": 80.0,
        "is_mql_eligible": False,
        "fast_lane_signal_at": t("2025-03-10 09:30:00"),
        "is_fit_gate_passed": False,
    },
    # not scored yet
    {"lead_id": "L04", "as_of": AS_OF},
]

BREACH_COLUMNS = """
    breach_id varchar, cycle_id varchar, lead_id varchar, owner_id varchar, sla varchar,
    started_at timestamp, due_at timestamp, met_at timestamp, status varchar,
    hours_late double, attempts_made integer, attempts_required integer, as_of timestamp,
    entry_lane varchar, time_zone varchar, clock_started_at timestamp
"""
BREACHES = [
    {
        "breach_id": "b-closed",
        "cycle_id": "L01-1",
        "lead_id": "L01",
        "owner_id": "005NY",
        "sla": "sal_review",
        "started_at": t("2025-03-03 10:00:00"),
        "due_at": t("2025-03-03 18:00:00"),
        "met_at": t("2025-03-04 12:00:00"),
        "status": "closed",
        "hours_late": 3.0,
        "as_of": AS_OF,
        "entry_lane": "score",
    },
    {
        "breach_id": "b-open",
        "cycle_id": "L03-1",
        "lead_id": "L03",
        "owner_id": "005NY",
        "sla": "first_touch",
        "started_at": t("2025-03-10 09:30:00"),
        "due_at": t("2025-03-10 10:30:00"),
        "status": "open",
        "hours_late": 300.0,
        "as_of": AS_OF,
        "entry_lane": "fast_lane",
    },
    {
        # rejected for no response after 2 of 6 attempts: closed at the rejection
        "breach_id": "b-attempts",
        "cycle_id": "L01-1",
        "lead_id": "L01",
        "owner_id": "005NY",
        "sla": "follow_up_attempts",
        "started_at": t("2025-03-03 12:00:00"),
        "due_at": t("2025-03-05 15:00:00"),
        "met_at": t("2025-03-05 15:00:00"),
        "status": "closed",
        "attempts_made": 2,
        "attempts_required": 6,
        "as_of": AS_OF,
        "entry_lane": "score",
    },
]

RECONCILIATION_COLUMNS = """
    source_name varchar, table_name varchar, raw_rows bigint, staged_rows bigint,
    duplicate_rows bigint, deleted_rows bigint, merged_rows bigint, quarantined_rows bigint,
    classified_rows bigint, unaccounted_rows bigint
"""
RECONCILIATION = [
    ("salesforce", "lead", 17, 12, 1, 1, 1, 2, 17, 0),
    ("salesforce", "lead_history", 25, 25, 0, 0, 0, 0, 25, 0),
    ("marketo", "lead", 3, 2, 0, 0, 1, 0, 3, 0),
    ("marketo", "activity_delete_lead", 0, 0, 0, 0, 0, 0, 0, 0),
]


def create_table(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    columns: str,
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
) -> None:
    """Create ``relation`` with the DDL ``columns`` and insert ``rows`` (dicts: missing
    columns are null; tuples: every column in order)."""
    schema = relation.split(".", 1)[0]
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"create or replace table {relation} ({columns})")
    names = [column.split()[0] for column in columns.replace("\n", " ").split(",")]
    values = [
        tuple(row.get(name) for name in names) if isinstance(row, dict) else tuple(row)
        for row in rows
    ]
    if values:
        placeholders = ", ".join("?" for _ in names)
        con.executemany(f"insert into {relation} values ({placeholders})", values)


def build_clean_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Every relation the invariants read, in schemas ``marts``, ``audit``, ``seeds`` and
    ``intermediate``."""
    create_table(
        con,
        "intermediate.int_settings",
        ", ".join(f"{name} double" for name in SETTINGS),
        [SETTINGS],
    )
    create_table(
        con,
        "seeds.rejection_reasons",
        "reason_label varchar, reason_code varchar, category varchar, marketing_fix varchar",
        REJECTION_REASONS,
    )
    # the stage vocabulary is the project's own seed, loaded as dbt seeds it
    con.execute(
        "create or replace table seeds.stages as select * from read_csv(?, header = true)",
        [str(STAGES_SEED)],
    )
    create_table(con, "marts.fct_lead_cycles", CYCLE_COLUMNS, CYCLES)
    create_table(con, "marts.fct_funnel_by_source", FUNNEL_COLUMNS, FUNNEL)
    create_table(con, "marts.fct_attribution_by_channel", ATTRIBUTION_COLUMNS, ATTRIBUTION)
    create_table(con, "marts.fct_lead_scores", SCORE_COLUMNS, SCORES)
    create_table(con, "marts.fct_sla_breaches", BREACH_COLUMNS, BREACHES)
    create_table(con, "audit.reconciliation_raw_rows", RECONCILIATION_COLUMNS, RECONCILIATION)


def clean_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    build_clean_marts(con)
    return con


# invariant -> the one-value change that breaks exactly it
BREAKS: dict[str, str] = {
    "cycle_stage_times_never_go_backwards": (
        "update marts.fct_lead_cycles set sql_at = timestamp '2025-03-03 11:00:00' "
        "where cycle_id = 'L01-1'"  # SQL before the 12:00 acceptance
    ),
    "cycles_rest_on_in_order_source_data": (
        "update marts.fct_lead_cycles set has_out_of_order_source = true where cycle_id = 'L01-1'"
    ),
    "cycle_decisions_follow_a_handoff": (
        "update marts.fct_lead_cycles set mql_at = null where cycle_id = 'L04-1'"
    ),
    "sqls_follow_an_acceptance": (
        "update marts.fct_lead_cycles set sal_at = null where cycle_id = 'L01-1'"
    ),
    "opportunities_follow_an_sql": (
        "update marts.fct_lead_cycles set sql_at = null where cycle_id = 'L06-1'"
    ),
    "lead_has_at_most_one_open_cycle": (
        "update marts.fct_lead_cycles set outcome = 'open' where cycle_id = 'L02-1'"
    ),
    "cycle_numbers_run_from_one_without_gaps": (
        "update marts.fct_lead_cycles set cycle_number = 3 where cycle_id = 'L02-2'"
    ),
    "rejections_have_a_taxonomy_reason": (
        "update marts.fct_lead_cycles set rejection_reason = 'unmapped' where cycle_id = 'L07-1'"
    ),
    "sqls_have_discovery_evidence": (
        "update marts.fct_lead_cycles set bant_flags_count = 2 where cycle_id = 'L05-1'"
    ),
    "handoffs_meet_the_mql_definition": (
        "update marts.fct_lead_cycles set score_at_mql = 59.5 where cycle_id = 'L02-2'"
    ),
    "funnel_stage_counts_never_increase": (
        "update marts.fct_funnel_by_source set sqls = 1 where channel = 'paid_search'"  # below 2 opportunities
    ),
    "funnel_rates_are_fractions": (
        "update marts.fct_funnel_by_source set sal_to_sql_rate = 1.25 where channel = 'webinar'"
    ),
    "attribution_conserves_the_funnel": (
        "update marts.fct_attribution_by_channel set attributed_pipeline_amount = 44750 "
        "where model = 'linear' and channel = 'paid_search'"  # 1,000 created from nothing
    ),
    "score_components_add_up_to_total": (
        "update marts.fct_lead_scores set total_score = 71.5 where lead_id = 'L01'"
    ),
    "leads_below_the_fit_gate_are_never_mql_eligible": (
        "update marts.fct_lead_scores set is_mql_eligible = true where lead_id = 'L03'"
    ),
    "sla_breaches_are_due_after_they_start": (
        "update marts.fct_sla_breaches set started_at = due_at where breach_id = 'b-closed'"
    ),
    "closed_sla_breaches_were_met_after_due": (
        "update marts.fct_sla_breaches set met_at = due_at where breach_id = 'b-closed'"
    ),
    "open_sla_breaches_are_unmet_and_overdue": (
        "update marts.fct_sla_breaches set met_at = timestamp '2025-04-01 09:00:00' "
        "where breach_id = 'b-open'"
    ),
    "every_raw_row_is_accounted_for": (
        "update audit.reconciliation_raw_rows set staged_rows = 11 "
        "where source_name = 'salesforce' and table_name = 'lead'"
    ),
}
