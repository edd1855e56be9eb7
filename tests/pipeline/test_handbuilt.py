"""`lead-funnel run` on the hand-built scenario: every mart row checked against values worked
out by hand from the contract (tests/scenarios/handbuilt.py explains each lead)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import query

pytestmark = pytest.mark.slow


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def run(handbuilt_run):  # type: ignore[no-untyped-def]
    completed = handbuilt_run["completed"]
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return handbuilt_run


def test_the_cli_says_where_to_look(run) -> None:  # type: ignore[no-untyped-def]
    out = run["completed"].stdout
    assert "MQLs 12 (fast lane 2)" in out
    # L17's attempt breach is not measured in hours
    assert "follow_up_attempts  closed         1  too few attempts" in out
    assert "published (BI reads this, read-only)" in out
    assert "0 blocking failed" in out


def test_cycles_match_the_hand_worked_scenario(run) -> None:  # type: ignore[no-untyped-def]
    rows = query(
        run["serve"],
        """select cycle_id, entry_lane, mql_at, sales_decision, sales_decision_at, sal_at, is_sal_inferred,
                  sql_at, is_sql_inferred, opportunity_id, won_at, lost_at, amount, outcome,
                  rejection_reason, has_out_of_order_source, channel
           from marts.fct_lead_cycles order by cycle_id""",
    )
    n = None
    expected = [
        # L01: score lane MQL, accepted 2h later, SQL, converted, won (StageName history time)
        (
            "00QL01-1",
            "score",
            ts("2025-03-04 10:00"),
            "accepted",
            ts("2025-03-04 12:00"),
            ts("2025-03-04 12:00"),
            False,
            ts("2025-03-06 10:00"),
            False,
            "006O01",
            ts("2025-04-15 12:00"),
            n,
            50000.0,
            "won",
            n,
            False,
            "paid_search",
        ),
        # L02: cycle 1 recycled; the manual re-MQL opens cycle 2, rejected with a reason from history
        (
            "00QL02-1",
            "score",
            ts("2025-03-05 09:30"),
            "recycled",
            ts("2025-03-06 11:00"),
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "recycled",
            n,
            False,
            "paid_search",
        ),
        (
            "00QL02-2",
            "manual",
            ts("2025-04-10 10:00"),
            "rejected",
            ts("2025-04-11 15:00"),
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "rejected",
            "not_evaluating",
            False,
            "paid_search",
        ),
        # L03: the Demo Request form (09:30) opens the cycle before the MQL change (09:40)
        (
            "00QL03-1",
            "fast_lane",
            ts("2025-03-10 09:30"),
            "accepted",
            ts("2025-03-10 13:00"),
            ts("2025-03-10 13:00"),
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            False,
            "paid_search",
        ),
        # L04: the second MQL is inside the open cycle; disqualified as a student
        (
            "00QL04-1",
            "score",
            ts("2025-03-03 10:00"),
            "disqualified",
            ts("2025-03-06 10:00"),
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "disqualified",
            "student_or_consultant",
            False,
            "paid_search",
        ),
        # L05: MQL straight to Sales Qualified: acceptance inferred at the SQL
        (
            "00QL05-1",
            "manual",
            ts("2025-03-03 11:00"),
            "accepted",
            ts("2025-03-05 11:00"),
            ts("2025-03-05 11:00"),
            True,
            ts("2025-03-05 11:00"),
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            False,
            "paid_search",
        ),
        # L06: MQL straight to Converted: acceptance and SQL inferred; lost on close_date
        (
            "00QL06-1",
            "score",
            ts("2025-03-03 12:00"),
            "accepted",
            ts("2025-03-07 10:00"),
            ts("2025-03-07 10:00"),
            True,
            ts("2025-03-07 10:00"),
            True,
            "006O06",
            n,
            ts("2025-04-30 00:00"),
            20000.0,
            "lost",
            n,
            False,
            "paid_search",
        ),
        # L08: created as MQL by a person, no history rows: a manual cycle at created_at
        (
            "00QL08-1",
            "manual",
            ts("2025-03-04 14:00"),
            n,
            n,
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            False,
            "paid_search",
        ),
        # L10: the later sync (status MQL, no history) wins
        (
            "00QL10-1",
            "manual",
            ts("2025-03-05 10:00"),
            n,
            n,
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            False,
            "paid_search",
        ),
        # L11: the merged-away Marketo lead's Contact Sales form counts for the survivor
        (
            "00QL11-1",
            "fast_lane",
            ts("2025-03-12 10:15"),
            n,
            n,
            n,
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            False,
            "direct_demo_request",
        ),
        # L13: the MQL row is dated before the lead was created: kept, flagged. Its later
        # Working - Contacted neither decides nor closes the cycle: still open
        (
            "00QL13-1",
            "score",
            ts("2025-03-09 09:00"),
            "accepted",
            ts("2025-03-11 09:00"),
            ts("2025-03-11 09:00"),
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "open",
            n,
            True,
            "paid_search",
        ),
        # L17: score MQL, accepted an hour later, rejected for no response on Mar 21
        (
            "00QL17-1",
            "score",
            ts("2025-03-17 14:00"),
            "accepted",
            ts("2025-03-17 15:00"),
            ts("2025-03-17 15:00"),
            False,
            n,
            False,
            n,
            n,
            n,
            n,
            "rejected",
            "no_response",
            False,
            "paid_search",
        ),
    ]
    assert rows == expected


def test_leads_outside_the_funnel_and_removed_leads(run) -> None:  # type: ignore[no-untyped-def]
    leads = dict(query(run["serve"], "select lead_id, current_stage from marts.dim_leads"))
    # deleted (L09), merged (L14), null key, future (L16) and unparseable (L18) leads are not live
    assert sorted(leads) == [f"00QL{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 17)]
    assert leads["00QL07"] == "nurture"  # no history: its current status since creation
    assert leads["00QL12"] == "unmapped"  # a status no seed maps
    assert leads["00QL01"] == "won"


def test_current_stage_of_an_open_cycle_is_the_furthest_it_reached(run) -> None:  # type: ignore[no-untyped-def]
    """Contract section 2: inside an open cycle a status that maps to lead does not move the
    lead back; after the cycle closed, its outcome or the stage its status maps to."""
    leads = dict(query(run["serve"], "select lead_id, current_stage from marts.dim_leads"))
    status = dict(query(run["serve"], "select lead_id, current_status from marts.dim_leads"))
    # L13 accepted, then Working - Contacted (maps to lead) inside the open cycle: sal
    assert (status["00QL13"], leads["00QL13"]) == ("Working - Contacted", "sal")
    # open cycles at their furthest stage: L05 MQL straight to SQL, L03 accepted, L08 handed off
    assert (leads["00QL05"], leads["00QL03"], leads["00QL08"]) == ("sql", "sal", "mql")
    # closed cycles: the outcome (L06 lost) or the status's stage (L02 rejected, L17 rejected)
    assert (leads["00QL06"], leads["00QL02"], leads["00QL17"]) == ("lost", "rejected", "rejected")
    other = query(
        run["serve"],
        "select channel, is_channel_mapped, title from marts.dim_leads where lead_id in ('00QL12', '00QL10') order by lead_id",
    )
    assert other == [("paid_search", True, "VP Sales"), ("other", False, "Director of Marketing")]


def test_stage_history_with_inferred_stages(run) -> None:  # type: ignore[no-untyped-def]
    rows = query(
        run["serve"],
        "select stage, cycle_number, valid_from, valid_to, is_current, is_inferred "
        "from marts.fct_lead_stage_history where lead_id = '00QL06' order by stage_sequence",
    )
    assert rows == [
        ("lead", 0, ts("2025-03-01 09:00"), ts("2025-03-03 12:00"), False, False),
        ("mql", 1, ts("2025-03-03 12:00"), ts("2025-03-07 10:00"), False, False),
        ("sal", 1, ts("2025-03-07 10:00"), ts("2025-03-07 10:00"), False, True),
        ("sql", 1, ts("2025-03-07 10:00"), ts("2025-03-07 10:00"), False, True),
        ("opportunity", 1, ts("2025-03-07 10:00"), ts("2025-04-30 00:00"), False, False),
        ("lost", 1, ts("2025-04-30 00:00"), None, True, False),
    ]


def test_every_raw_row_is_accounted_for(run) -> None:  # type: ignore[no-untyped-def]
    lead = query(
        run["database"],
        "select raw_rows, staged_rows, duplicate_rows, deleted_rows, merged_rows, quarantined_rows, unaccounted_rows "
        "from audit.reconciliation_raw_rows where source_name = 'salesforce' and table_name = 'lead'",
    )
    # 19 raw rows: 13 staged, L10's older sync, L09 deleted, L14 merged; null key, future (L16)
    # and unparseable (L18) quarantined
    assert lead == [(19, 13, 1, 1, 1, 3, 0)]
    marketo = query(
        run["database"],
        "select deleted_rows, merged_rows from audit.reconciliation_raw_rows "
        "where source_name = 'marketo' and table_name = 'lead'",
    )
    # lead 12 lost the merge into 11 and is flagged deleted by the connector: merged
    assert marketo == [(0, 1)]
    assert query(
        run["database"], "select sum(abs(unaccounted_rows)) from audit.reconciliation_raw_rows"
    ) == [(0,)]
    reasons = query(
        run["database"], "select reason from quarantine.quarantine_salesforce order by reason"
    )
    assert reasons == [("future_timestamp",), ("null_key",), ("unparseable:number_of_employees",)]


def test_connector_formats_parse_and_what_does_not_is_kept_as_landed(run) -> None:  # type: ignore[no-untyped-def]
    """tests/scenarios/handbuilt.py land_connector_formats: text timestamps and numbers."""
    created = dict(query(run["serve"], "select lead_id, created_at from marts.dim_leads"))
    assert created["00QL08"] == ts("2025-03-04 14:00")  # '2025-03-04T16:00:00+02:00'
    assert created["00QL01"] == ts("2025-03-03 10:00")  # naive text is UTC
    revenue = query(
        run["database"],
        "select distinct annual_revenue from staging.stg_salesforce__lead",
    )
    assert revenue == [(50_000_000.0,)]  # '50,000,000' and L01's '50 000 000'
    [(record_key, reason, raw_row)] = query(
        run["database"],
        "select record_key, reason, raw_row from quarantine.quarantine_salesforce"
        " where record_key = '00QL18'",
    )
    assert reason == "unparseable:number_of_employees"
    assert json.loads(raw_row)["_unparseable_values"] == "number_of_employees=about 500"
    # contract section 2: an id that does not parse is unparseable:id, kept as landed
    [(record_key, reason, raw_row)] = query(
        run["database"],
        "select record_key, reason, raw_row from quarantine.quarantine_marketo",
    )
    assert (record_key, reason) == ("FF-9004", "unparseable:id")
    assert json.loads(raw_row)["_landed_id"] == "FF-9004"
    marketo_forms = query(
        run["database"],
        "select raw_rows, staged_rows, quarantined_rows, unaccounted_rows from audit.reconciliation_raw_rows"
        " where table_name = 'activity_fill_out_form'",
    )
    assert marketo_forms == [(4, 3, 1, 0)]


def test_sla_breaches_on_the_owners_working_hours(run) -> None:  # type: ignore[no-untyped-def]
    """Owner 005NY works 09:00-17:00 America/New_York (EST until 2025-03-09, EDT after)."""
    rows = {
        (cycle_id, sla): (status, due_at, met_at, hours_late)
        for cycle_id, sla, status, due_at, met_at, hours_late in query(
            run["serve"],
            "select cycle_id, sla, status, due_at, met_at, hours_late from marts.fct_sla_breaches",
        )
    }
    # L01 accepted at 07:00 EST, before its review clock even started (09:00 EST): no breach
    assert ("00QL01-1", "sal_review") not in rows
    # L01 first touch: clock 09:00 EST Mar 4 + 8h = 17:00 EST (22:00Z); never touched by the
    # as-of (Apr 30 22:00 EDT): 41 working days Mar 5..Apr 30 x 8h = 328 working hours late
    assert rows[("00QL01-1", "first_touch")] == ("open", ts("2025-03-04 22:00"), None, 328.0)
    # L02 cycle 1: due 17:00 EST Mar 5, recycled 06:00 EST Mar 6: late, but 0 working hours late
    assert rows[("00QL02-1", "sal_review")] == (
        "closed",
        ts("2025-03-05 22:00"),
        ts("2025-03-06 11:00"),
        0.0,
    )
    # L02 cycle 2: MQL 06:00 EDT Thu Apr 10, due 17:00 EDT (21:00Z); rejected 11:00 EDT Fri: 2h late
    assert rows[("00QL02-2", "sal_review")] == (
        "closed",
        ts("2025-04-10 21:00"),
        ts("2025-04-11 15:00"),
        2.0,
    )
    # L03 hand raise 05:30 EDT Mon Mar 10: 1 working hour -> 10:00 EDT (14:00Z); never touched:
    # 7h on Mar 10 + 37 working days to Apr 30 x 8h = 303 working hours late
    assert rows[("00QL03-1", "first_touch")] == ("open", ts("2025-03-10 14:00"), None, 303.0)
    # L17 MQL 10:00 EDT Mon Mar 17, accepted 11:00 EDT: sal_review met; first touch due
    # 11:00 EDT Tue (15:00Z), first call 10:00 EDT Tue: met. No breach of either.
    assert ("00QL17-1", "sal_review") not in rows
    assert ("00QL17-1", "first_touch") not in rows


def test_an_attempt_breach_is_closed_at_the_rejection(run) -> None:  # type: ignore[no-untyped-def]
    """Contract section 2: L17 accepted Mar 17 15:00Z, rejected for no response Mar 21 15:00Z
    after 2 completed calls (the third, Mar 24, came after the rejection): 2 of 6 attempts, a
    closed breach at the rejection, not measured in hours (and not growing with the as-of)."""
    rows = query(
        run["serve"],
        "select sla, status, started_at, due_at, met_at, hours_late, attempts_made, attempts_required"
        " from marts.fct_sla_breaches where cycle_id = '00QL17-1'",
    )
    rejected = ts("2025-03-21 15:00")
    assert rows == [
        ("follow_up_attempts", "closed", ts("2025-03-17 15:00"), rejected, rejected, None, 2, 6)
    ]
    working_hours = query(
        run["serve"],
        "select count(*) from marts.fct_sla_breaches where sla <> 'follow_up_attempts'"
        " and (attempts_made is not null or attempts_required is not null)",
    )
    assert working_hours == [(0,)]


def test_unmapped_picklist_values_are_counted_not_dropped(run) -> None:  # type: ignore[no-untyped-def]
    rows = query(
        run["database"],
        "select seed, picklist, picklist_value, rows_affected, leads_affected from audit.unmapped_values order by 1, 2",
    )
    assert rows == [
        ("channel_map", "campaign_type", "Podcast", 1, None),  # campaign 701C6: channel other
        ("channel_map", "lead_source", "Podcast", 1, 1),  # L12: channel other
        ("lead_status_map", "status", "Marketing Qualified - Legacy", 1, 1),  # L12: stage unmapped
    ]
