"""`lead-funnel run` on the hand-built scenario: every mart row checked against values worked
out by hand from the contract (tests/scenarios/handbuilt.py explains each lead)."""

from __future__ import annotations

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
    assert "MQLs 11 (fast lane 2)" in out
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
        # L13: the MQL row is dated before the lead was created: kept, flagged
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
    ]
    assert rows == expected


def test_leads_outside_the_funnel_and_removed_leads(run) -> None:  # type: ignore[no-untyped-def]
    leads = dict(query(run["serve"], "select lead_id, current_stage from marts.dim_leads"))
    # deleted (L09), merged (L14), null key and future (L16) leads are not live
    assert sorted(leads) == [f"00QL{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13)]
    assert leads["00QL07"] == "nurture"  # no history: its current status since creation
    assert leads["00QL12"] == "unmapped"  # a status no seed maps
    assert leads["00QL01"] == "won"
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
    # 17 raw rows: 12 staged, L10's older sync, L09 deleted, L14 merged, null key + future quarantined
    assert lead == [(17, 12, 1, 1, 1, 2, 0)]
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
    assert reasons == [("future_timestamp",), ("null_key",)]


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
