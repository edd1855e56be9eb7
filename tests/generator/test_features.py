"""The behaviours the pipeline must handle are all in the 20k-lead data set."""

from __future__ import annotations

import pytest

from lead_funnel.paths import SEEDS_DIR
from lead_funnel_tools.generator import measure_cycles

LIVE_LEADS = """
    SELECT * FROM raw_salesforce.lead WHERE id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
"""
STATUS_STEPS = """
    SELECT lead_id, created_date, new_value,
           lead(new_value) OVER (PARTITION BY lead_id ORDER BY created_date) AS next_value
    FROM raw_salesforce.lead_history WHERE field = 'Status' AND id IS NOT NULL
"""


def one(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


@pytest.fixture(scope="module")
def cycles(realism_con):
    return measure_cycles(realism_con)


def test_entry_lanes_and_multi_cycle_leads(cycles) -> None:
    lanes = cycles.groupby("entry_lane").size()
    assert lanes.get("fast_lane", 0) > 200
    assert lanes.get("score", 0) > 1000
    assert lanes.get("manual", 0) > 200
    assert (cycles.cycle_number == 2).sum() > 200
    assert (cycles.cycle_number == 3).sum() > 20


def test_about_one_in_ten_never_progressed_leads_has_no_history(realism_con) -> None:
    never, without = realism_con.execute(f"""
        WITH l AS ({LIVE_LEADS})
        SELECT count(*) FILTER (WHERE status IN ('Open - Not Contacted', 'Working - Contacted',
                                                 'Nurture')),
               count(*) FILTER (WHERE status = 'Open - Not Contacted' AND id NOT IN
                                (SELECT lead_id FROM raw_salesforce.lead_history))
        FROM l
    """).fetchone()  # fmt: skip
    assert 0.05 <= without / never <= 0.15


def test_skipped_stages_exist(realism_con) -> None:
    skips = realism_con.execute(f"""
        SELECT count(*) FILTER (WHERE new_value = 'MQL' AND next_value = 'Sales Qualified'),
               count(*) FILTER (WHERE new_value = 'MQL' AND next_value = 'Converted'),
               count(*) FILTER (WHERE new_value = 'MQL')
        FROM ({STATUS_STEPS})
    """).fetchone()  # fmt: skip
    assert skips[0] > 10 and skips[1] > 3
    assert (skips[0] + skips[1]) / skips[2] < 0.06


def test_rejections_carry_reasons_mostly(realism_con) -> None:
    with_reason, total = realism_con.execute("""
        SELECT count(*) FILTER (WHERE r.id IS NOT NULL), count(*)
        FROM raw_salesforce.lead_history s
        LEFT JOIN raw_salesforce.lead_history r
          ON r.lead_id = s.lead_id AND r.created_date = s.created_date
         AND r.field = 'Rejection_Reason__c'
        WHERE s.field = 'Status' AND s.new_value IN ('Rejected', 'Disqualified')
    """).fetchone()  # fmt: skip
    assert 0.94 <= with_reason / total <= 0.995
    labels = {r[0] for r in realism_con.execute(
        "SELECT DISTINCT rejection_reason_c FROM raw_salesforce.lead WHERE rejection_reason_c IS NOT NULL"
    ).fetchall()}  # fmt: skip
    seed = (SEEDS_DIR / "rejection_reasons.csv").read_text()
    assert all(label in seed for label in labels)


def _reason_share(con, sources: str, reasons: str) -> tuple[float, float]:
    """Share of ``reasons`` among rejection reasons of leads from ``sources`` vs the others."""
    return con.execute(f"""
        SELECT avg((h.new_value IN ({reasons}))::INT) FILTER (WHERE l.lead_source IN ({sources})),
               avg((h.new_value IN ({reasons}))::INT) FILTER (WHERE l.lead_source NOT IN ({sources}))
        FROM raw_salesforce.lead_history h JOIN raw_salesforce.lead l ON l.id = h.lead_id
        WHERE h.field = 'Rejection_Reason__c'
    """).fetchall()[0]  # fmt: skip


def test_rejection_reasons_differ_by_channel(realism_con) -> None:
    syndication = _reason_share(realism_con, "'Content Syndication'",
                                "'Not currently evaluating', 'Wrong persona'")  # fmt: skip
    events = _reason_share(realism_con, "'Trade Show', 'Event'",
                           "'Invalid contact data', 'Duplicate'")  # fmt: skip
    social = _reason_share(realism_con, "'LinkedIn Ads', 'Paid Social'", "'Student or consultant'")
    for channel, other in (syndication, events, social):
        assert channel > 1.3 * other


def test_no_response_rejections_follow_attempts(realism_con) -> None:
    attempts = realism_con.execute("""
        SELECT h.lead_id, h.created_date,
               (SELECT count(*) FROM raw_salesforce.task t
                WHERE t.who_id = h.lead_id AND t.status = 'Completed'
                  AND t.completed_date_time < h.created_date) AS done
        FROM raw_salesforce.lead_history h
        WHERE h.field = 'Rejection_Reason__c' AND h.new_value = 'No response'
    """).df()  # fmt: skip
    assert len(attempts) > 50
    assert (attempts.done >= 6).mean() > 0.7
    assert (attempts.done < 6).sum() > 0


def test_sqls_have_bant_flags(realism_con) -> None:
    flags = realism_con.execute(f"""
        SELECT bant_budget_c::INT + bant_authority_c::INT + bant_need_c::INT + bant_timeline_c::INT
        FROM ({LIVE_LEADS}) WHERE status IN ('Sales Qualified', 'Converted')
          AND bant_budget_c IS NOT NULL
    """).df().iloc[:, 0]  # fmt: skip
    assert (flags >= 3).mean() > 0.6
    assert (flags < 3).sum() > 0


def test_opportunities_open_closed_and_without_history(realism_con) -> None:
    open_, no_history = realism_con.execute("""
        WITH o AS (SELECT * FROM raw_salesforce.opportunity
                   QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1)
        SELECT count(*) FILTER (WHERE NOT is_closed),
               count(*) FILTER (WHERE is_closed AND id NOT IN
                   (SELECT opportunity_id FROM raw_salesforce.opportunity_field_history))
        FROM o
    """).fetchone()  # fmt: skip
    assert open_ > 10
    assert no_history > 5


def test_webinar_attendees_convert_better_than_no_shows(realism_con) -> None:
    rates = dict(realism_con.execute("""
        SELECT m.progression_status, avg((l.id IN (SELECT lead_id FROM raw_salesforce.lead_history
                                                  WHERE new_value = 'MQL'))::INT)
        FROM raw_marketo.program_membership m
        JOIN raw_marketo.lead k ON k.id = m.lead_id
        JOIN raw_salesforce.lead l ON l.id = k.sfdc_lead_id
        WHERE m.progression_status IN ('Attended', 'No Show')
        GROUP BY ALL
    """).fetchall())  # fmt: skip
    assert rates["Attended"] > 2 * rates["No Show"]
    assert one(realism_con, "SELECT count(*) FROM raw_marketo.program_membership "
               "WHERE attended_minutes_c > 0") > 100  # fmt: skip


def test_buying_committees(realism_con) -> None:
    committees = one(realism_con, """
        SELECT count(*) FROM (
            SELECT k.sfdc_account_id, date_trunc('month', v.activity_date) AS month
            FROM raw_marketo.lead k
            JOIN raw_salesforce.contact c ON c.id = k.sfdc_contact_id
            JOIN raw_marketo.activity_visit_webpage v ON v.lead_id = k.id
            WHERE k.sfdc_account_id IS NOT NULL
            GROUP BY ALL
            HAVING count(DISTINCT k.id) >= 3 AND count(DISTINCT c.department) >= 2
        )
    """)  # fmt: skip
    assert committees > 20
    shared_domain = one(realism_con, """
        SELECT count(*) FROM raw_salesforce.account a
        JOIN raw_salesforce.contact c ON c.account_id = a.id
        WHERE c.email LIKE '%@' || replace(a.website, 'https://www.', '')
    """)  # fmt: skip
    assert shared_domain > 100


def test_not_buying_engagement(realism_con) -> None:
    personal = one(
        realism_con, "SELECT count(*) FROM raw_salesforce.lead WHERE email LIKE '%@gmail.com'"
    )
    competitor = one(
        realism_con, "SELECT count(*) FROM raw_salesforce.lead WHERE email LIKE '%@rivalfunnel.com'"
    )
    students = one(
        realism_con,
        "SELECT count(*) FROM raw_salesforce.lead WHERE title ILIKE '%intern%' OR title ILIKE '%student%'",
    )
    assert personal > 50 and competitor > 5 and students > 100
    lone_opens = one(realism_con, """
        SELECT count(*) FROM raw_marketo.activity_open_email o
        WHERE NOT EXISTS (SELECT 1 FROM raw_marketo.activity_click_email c
                          WHERE c.lead_id = o.lead_id AND c.email_template_id = o.email_template_id
                            AND c.activity_date BETWEEN o.activity_date
                                AND o.activity_date + INTERVAL 24 HOUR)
    """)  # fmt: skip
    assert lone_opens > 10_000
    heavy = one(realism_con, """
        SELECT avg(n) FROM (
            SELECT l.id, count(*) AS n FROM raw_salesforce.lead l
            JOIN raw_marketo.lead k ON k.sfdc_lead_id = l.id
            JOIN raw_marketo.activity_fill_out_form f ON f.lead_id = k.id
            WHERE l.title ILIKE '%intern%' GROUP BY ALL)
    """)  # fmt: skip
    normal = one(realism_con, """
        SELECT avg(n) FROM (
            SELECT l.id, count(*) AS n FROM raw_salesforce.lead l
            JOIN raw_marketo.lead k ON k.sfdc_lead_id = l.id
            JOIN raw_marketo.activity_fill_out_form f ON f.lead_id = k.id
            WHERE l.title ILIKE '%manager%' GROUP BY ALL)
    """)  # fmt: skip
    assert heavy > 2 * normal


def test_urls_follow_the_page_rules(realism_con) -> None:
    patterns = [
        line.split(",")[1] for line in (SEEDS_DIR / "page_rules.csv").read_text().splitlines()[1:]
    ]
    for pattern in patterns:
        hits = one(realism_con, "SELECT count(*) FROM raw_marketo.activity_visit_webpage "
                   f"WHERE webpage_url LIKE '%{pattern}%'")  # fmt: skip
        assert hits > 0, pattern
    assert one(realism_con, "SELECT count(*) FROM raw_marketo.activity_visit_webpage "
               "WHERE webpage_url NOT LIKE 'https://www.example-saas.com/%'") == 0  # fmt: skip


def test_score_lane_mqls_follow_engagement(realism_con, cycles) -> None:
    score = cycles[cycles.entry_lane == "score"][["lead_id", "mql_at"]]
    realism_con.register("score_cycles", score)
    share = one(realism_con, """
        SELECT avg((EXISTS (SELECT 1 FROM raw_marketo.lead k
                            JOIN raw_marketo.activity_visit_webpage v ON v.lead_id = k.id
                            WHERE k.sfdc_lead_id = s.lead_id
                              AND v.activity_date BETWEEN s.mql_at - INTERVAL 10 DAY AND s.mql_at))::INT)
        FROM score_cycles s
    """)  # fmt: skip
    realism_con.unregister("score_cycles")
    assert share > 0.8


def test_reps_work_in_several_time_zones_and_mostly_in_hours(realism_con) -> None:
    zones = one(realism_con, 'SELECT count(DISTINCT time_zone_sid_key) FROM raw_salesforce."user"')
    assert zones == 6
    in_hours = one(realism_con, """
        SELECT avg((hour((t.completed_date_time AT TIME ZONE 'UTC') AT TIME ZONE u.time_zone_sid_key)
                    BETWEEN 9 AND 16)::INT)
        FROM raw_salesforce.task t JOIN raw_salesforce."user" u ON u.id = t.owner_id
        WHERE t.status = 'Completed' AND t.completed_date_time < '2026-01-01'
    """)  # fmt: skip
    assert 0.75 < in_hours < 0.99


def test_campaign_costs_by_channel(realism_con) -> None:
    cost = dict(realism_con.execute("""
        SELECT type, avg(actual_cost) FROM raw_salesforce.campaign
        WHERE actual_cost IS NOT NULL GROUP BY ALL
    """).fetchall())  # fmt: skip
    assert cost["Trade Show"] > 10 * cost["Organic Search"]
    assert cost["Content Syndication"] > cost["Email"]
    spans = one(realism_con, "SELECT count(*) FROM raw_salesforce.campaign "
                "WHERE month(start_date) <> month(end_date)")  # fmt: skip
    assert spans > 0
