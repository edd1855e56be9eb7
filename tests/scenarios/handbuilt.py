"""A hand-built raw data set of a dozen leads whose cycles are worked out by hand.

Every expected value in `EXPECTED_CYCLES` follows from the rows below and the
contract's definitions (section 2); the comments say why. Times are UTC, March
2025 (Monday 2025-03-03).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

AS_OF = datetime(2025, 5, 1, 2, 0, 0)
SYNC = datetime(2025, 4, 30, 23, 0, 0)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


USERS = [
    # id, name, role, time zone
    ("005INT", "Marketo Sync", "00EINT", "UTC"),
    ("005NY", "Nia York", "00ESDR", "America/New_York"),
    ("005LDN", "Leo Lond", "00ESDR", "Europe/London"),
    ("005MKT", "Mia Kett", "00EMKT", "America/New_York"),
]
ROLES = [("00EINT", "Integration"), ("00ESDR", "SDR"), ("00EMKT", "Marketing")]


def lead(lead_id: str | None, created: str, status: str, **extra: Any) -> dict[str, Any]:
    name = (lead_id or "nullkey").lower()
    row = {
        "id": lead_id,
        "owner_id": "005NY",
        "created_date": ts(created),
        "last_modified_date": ts(created),
        "status": status,
        "lead_source": "Paid Search",
        "email": f"{name}@acme-{name}.com",
        "first_name": "Ann",
        "last_name": lead_id,
        "title": "Director of Marketing",
        "company": f"Acme {lead_id}",
        "industry": "Software",
        "number_of_employees": 500,
        "annual_revenue": 50_000_000.0,
        "country": "United States",
        "is_converted": False,
        "is_deleted": False,
        "_fivetran_synced": SYNC,
    }
    row.update(extra)
    return row


_history_counter = 0


def status(lead_id: str, at: str, old: str | None, new: str, by: str) -> dict[str, Any]:
    global _history_counter
    _history_counter += 1
    return {
        "id": f"017H{_history_counter:04d}",
        "lead_id": lead_id,
        "created_date": ts(at),
        "created_by_id": by,
        "field": "Status",
        "old_value": old,
        "new_value": new,
        "is_deleted": False,
        "_fivetran_synced": SYNC,
    }


def task(task_id: str, lead_id: str, completed: str) -> dict[str, Any]:
    """A completed call by the SDR on the lead."""
    return {
        "id": task_id,
        "who_id": lead_id,
        "owner_id": "005NY",
        "type": "Call",
        "subject": "Call",
        "status": "Completed",
        "activity_date": ts(completed).date(),
        "completed_date_time": ts(completed),
        "created_date": ts(completed),
        "is_deleted": False,
        "_fivetran_synced": SYNC,
    }


def reason(lead_id: str, at: str, label: str, by: str = "005NY") -> dict[str, Any]:
    row = status(lead_id, at, None, label, by)
    row["field"] = "Rejection_Reason__c"
    return row


def campaign(campaign_id: str, type_: str, start: date | None, end: date | None,
             cost: float | None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    row = {
        "id": campaign_id,
        "name": f"Campaign {campaign_id}",
        "type": type_,
        "status": "Completed",
        "start_date": start,
        "end_date": end,
        "budgeted_cost": cost,
        "actual_cost": cost,
        "is_deleted": False,
        "_fivetran_synced": SYNC,
    }
    row.update(extra)
    return row


CAMPAIGNS = [
    campaign("701C1", "Paid Search", date(2025, 3, 15), date(2025, 4, 14), 3100.0),
    campaign("701C2", "Webinar", date(2025, 2, 20), date(2025, 3, 1), 1000.0),
    campaign("701C3", "Paid Search", date(2025, 4, 20), None, None, status="In Progress"),
    campaign("701C4", "LinkedIn Ads", date(2025, 3, 1), date(2025, 3, 31), 999.0, is_deleted=True),
    campaign("701C5", "Website Demo Request", date(2025, 3, 1), date(2025, 3, 31), 620.0),
    campaign("701C6", "Podcast", date(2025, 4, 1), date(2025, 4, 30), 300.0),
]


def build_rows() -> dict[tuple[str, str], list[dict[str, Any]]]:
    leads = [
        # L01 score lane -> accepted -> SQL -> converted -> won (close time from stage history)
        lead(
            "00QL01",
            "2025-03-03 10:00:00",
            "Converted",
            is_converted=True,
            converted_date=date(2025, 3, 10),
            converted_opportunity_id="006O01",
            converted_account_id="001A01",
        ),
        # L02 score cycle recycled, then a manual re-MQL opens cycle 2, rejected not evaluating
        lead(
            "00QL02",
            "2025-03-01 09:00:00",
            "Rejected",
            rejection_reason_c="Not currently evaluating",
        ),
        # L03 fast lane: a Demo Request form opens the cycle before the MQL status change
        lead("00QL03", "2025-03-10 09:00:00", "Sales Accepted"),
        # L04 an MQL inside an open cycle opens nothing; disqualified as a student
        lead(
            "00QL04",
            "2025-03-01 09:00:00",
            "Disqualified",
            rejection_reason_c="Student or consultant",
        ),
        # L05 skipped stage: MQL straight to Sales Qualified (manual MQL by the SDR)
        lead(
            "00QL05",
            "2025-03-01 09:00:00",
            "Sales Qualified",
            bant_budget_c=True,
            bant_authority_c=True,
            bant_need_c=True,
            bant_timeline_c=False,
        ),
        # L06 MQL straight to Converted, lost by close_date (no stage history)
        lead(
            "00QL06",
            "2025-03-01 09:00:00",
            "Converted",
            is_converted=True,
            converted_date=date(2025, 3, 7),
            converted_opportunity_id="006O06",
        ),
        # L07 no history rows: Nurture since creation, never handed off
        lead("00QL07", "2025-03-02 09:00:00", "Nurture"),
        # L08 no history rows, created as MQL by a person: a manual cycle at created_at
        lead("00QL08", "2025-03-04 14:00:00", "MQL"),
        # L09 deleted: gone from every mart
        lead("00QL09", "2025-03-04 14:00:00", "MQL", is_deleted=True),
        # L10 re-synced: the later sync (Director -> VP title, status MQL) wins
        lead(
            "00QL10",
            "2025-03-05 10:00:00",
            "Open - Not Contacted",
            title="Director of Sales",
            _fivetran_synced=ts("2025-03-05 10:05:00"),
        ),
        lead("00QL10", "2025-03-05 10:00:00", "MQL", title="VP Sales"),
        # L11 fast lane through a merged Marketo lead (the loser filled the form)
        lead(
            "00QL11",
            "2025-03-12 09:00:00",
            "Open - Not Contacted",
            lead_source="Website Demo Request",
        ),
        # L12 unmapped status and lead source: no cycle, channel other
        lead(
            "00QL12", "2025-03-03 09:00:00", "Marketing Qualified - Legacy", lead_source="Podcast"
        ),
        # L13 out-of-order source: the MQL row is dated before the lead was created. After the
        # acceptance the SDR sets Working - Contacted: that neither decides nor closes the
        # open cycle, and the lead stays at sal (contract section 2: current_stage)
        lead("00QL13", "2025-03-10 09:00:00", "Working - Contacted"),
        # L14 merged into L01 in Salesforce: merged, not live
        lead("00QL14", "2025-03-03 09:00:00", "MQL", is_deleted=True, master_record_id="00QL01"),
        # null key: quarantined
        lead(None, "2025-03-03 09:00:00", "MQL"),
        # created after the as-of: quarantined as future_timestamp
        lead("00QL16", "2025-06-01 09:00:00", "Open - Not Contacted"),
        # L17 score MQL, accepted, rejected for no response after 2 completed tasks (6 are
        # required): an attempt-based SLA breach, closed at the rejection
        lead(
            "00QL17",
            "2025-03-17 09:00:00",
            "Rejected",
            rejection_reason_c="No response",
        ),
        # L18 lands an employee count that is no number (land_connector_formats):
        # quarantined as unparseable:number_of_employees, the value kept as landed
        lead("00QL18", "2025-03-17 09:00:00", "Open - Not Contacted"),
    ]
    history = [
        status("00QL01", "2025-03-04 10:00:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL01", "2025-03-04 12:00:00", "MQL", "Sales Accepted", "005NY"),
        status("00QL01", "2025-03-06 10:00:00", "Sales Accepted", "Sales Qualified", "005NY"),
        status("00QL01", "2025-03-10 10:00:00", "Sales Qualified", "Converted", "005NY"),
        status("00QL02", "2025-03-05 09:30:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL02", "2025-03-06 11:00:00", "MQL", "Recycled", "005NY"),
        status("00QL02", "2025-03-06 11:05:00", "Recycled", "Nurture", "005MKT"),
        status("00QL02", "2025-04-10 10:00:00", "Nurture", "MQL", "005NY"),
        status("00QL02", "2025-04-11 15:00:00", "MQL", "Rejected", "005NY"),
        reason("00QL02", "2025-04-11 15:00:00", "Not currently evaluating"),
        status("00QL03", "2025-03-10 09:40:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL03", "2025-03-10 13:00:00", "MQL", "Sales Accepted", "005NY"),
        status("00QL04", "2025-03-03 10:00:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL04", "2025-03-04 10:00:00", "MQL", "Nurture", "005MKT"),
        status("00QL04", "2025-03-05 10:00:00", "Nurture", "MQL", "005INT"),
        status("00QL04", "2025-03-06 10:00:00", "MQL", "Disqualified", "005NY"),
        reason("00QL04", "2025-03-06 10:00:30", "Student or consultant"),
        status("00QL05", "2025-03-03 11:00:00", "Working - Contacted", "MQL", "005NY"),
        status("00QL05", "2025-03-05 11:00:00", "MQL", "Sales Qualified", "005NY"),
        status("00QL06", "2025-03-03 12:00:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL06", "2025-03-07 10:00:00", "MQL", "Converted", "005NY"),
        status("00QL09", "2025-03-05 10:00:00", "MQL", "Sales Accepted", "005NY"),
        status(
            "00QL12",
            "2025-03-04 09:00:00",
            "Open - Not Contacted",
            "Marketing Qualified - Legacy",
            "005INT",
        ),
        status("00QL13", "2025-03-09 09:00:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL13", "2025-03-11 09:00:00", "MQL", "Sales Accepted", "005NY"),
        status("00QL13", "2025-03-12 09:00:00", "Sales Accepted", "Working - Contacted", "005NY"),
        status("00QL17", "2025-03-17 14:00:00", "Open - Not Contacted", "MQL", "005INT"),
        status("00QL17", "2025-03-17 15:00:00", "MQL", "Sales Accepted", "005NY"),
        status("00QL17", "2025-03-21 15:00:00", "Sales Accepted", "Rejected", "005NY"),
        reason("00QL17", "2025-03-21 15:00:00", "No response"),
    ]
    tasks = [
        # L17: two completed attempts between the acceptance and the rejection; the third
        # comes after the rejection and does not count
        task("00T1", "00QL17", "2025-03-18 14:00:00"),
        task("00T2", "00QL17", "2025-03-19 14:00:00"),
        task("00T3", "00QL17", "2025-03-24 14:00:00"),
    ]
    opportunities = [
        {
            "id": "006O01",
            "account_id": "001A01",
            "owner_id": "005NY",
            "name": "Acme L01",
            "stage_name": "Closed Won",
            "amount": 50_000.0,
            "probability": 100.0,
            "is_closed": True,
            "is_won": True,
            "close_date": date(2025, 4, 15),
            "created_date": ts("2025-03-10 10:00:00"),
            "lead_source": "Paid Search",
            "is_deleted": False,
            "_fivetran_synced": SYNC,
        },
        {
            "id": "006O06",
            "account_id": "001A06",
            "owner_id": "005NY",
            "name": "Acme L06",
            "stage_name": "Closed Lost",
            "amount": 20_000.0,
            "probability": 0.0,
            "is_closed": True,
            "is_won": False,
            "close_date": date(2025, 4, 30),
            "created_date": ts("2025-03-07 10:00:00"),
            "lead_source": "Paid Search",
            "is_deleted": False,
            "_fivetran_synced": SYNC,
        },
    ]
    opportunity_history = [
        {
            "id": "017O1",
            "opportunity_id": "006O01",
            "created_date": ts("2025-03-20 10:00:00"),
            "field": "StageName",
            "old_value": "Prospecting",
            "new_value": "Proposal",
            "is_deleted": False,
            "_fivetran_synced": SYNC,
        },
        {
            "id": "017O2",
            "opportunity_id": "006O01",
            "created_date": ts("2025-04-15 12:00:00"),
            "field": "StageName",
            "old_value": "Proposal",
            "new_value": "Closed Won",
            "is_deleted": False,
            "_fivetran_synced": SYNC,
        },
    ]
    users = [
        {
            "id": uid,
            "name": name,
            "email": f"{uid}@example.com",
            "user_role_id": role,
            "time_zone_sid_key": tz,
            "is_active": True,
            "_fivetran_deleted": False,
            "_fivetran_synced": SYNC,
        }
        for uid, name, role, tz in USERS
    ]
    roles = [{"id": rid, "name": name, "_fivetran_synced": SYNC} for rid, name in ROLES]
    accounts = [
        {
            "id": "001A01",
            "name": "Acme L01",
            "website": "https://www.acme-00ql01.com",
            "is_deleted": False,
            "created_date": ts("2025-01-01 00:00:00"),
            "_fivetran_synced": SYNC,
        }
    ]
    marketo_leads = [
        {
            "id": 3,
            "email": "00ql03@acme-00ql03.com",
            "sfdc_lead_id": "00QL03",
            "created_at": ts("2025-03-10 08:55:00"),
            "_fivetran_deleted": False,
            "_fivetran_synced": SYNC,
        },
        {
            "id": 11,
            "email": "00ql11@acme-00ql11.com",
            "sfdc_lead_id": "00QL11",
            "created_at": ts("2025-03-12 08:00:00"),
            "_fivetran_deleted": False,
            "_fivetran_synced": SYNC,
        },
        # the loser of the merge into 11: its form fill counts for lead 11. The
        # connector flags merge losers as deleted, as Marketo removes them: merged wins.
        {
            "id": 12,
            "email": "ann@acme-00ql11.com",
            "sfdc_lead_id": None,
            "created_at": ts("2025-03-12 08:30:00"),
            "_fivetran_deleted": True,
            "_fivetran_synced": SYNC,
        },
    ]
    forms = [
        {
            "id": 9001,
            "lead_id": 3,
            "activity_date": ts("2025-03-10 09:30:00"),
            "activity_type_id": 2,
            "primary_attribute_value": "Demo Request",
            "_fivetran_synced": SYNC,
        },
        {
            "id": 9002,
            "lead_id": 12,
            "activity_date": ts("2025-03-12 10:15:00"),
            "activity_type_id": 2,
            "primary_attribute_value": "Contact Sales",
            "_fivetran_synced": SYNC,
        },
        # a content download is not a hand raise
        {
            "id": 9003,
            "lead_id": 11,
            "activity_date": ts("2025-03-12 09:00:00"),
            "activity_type_id": 2,
            "primary_attribute_value": "Ebook Download",
            "_fivetran_synced": SYNC,
        },
    ]
    merges = [
        {
            "id": 9100,
            "lead_id": 11,
            "activity_date": ts("2025-03-13 09:00:00"),
            "activity_type_id": 32,
            "merge_ids": "12",
            "master_updated": True,
            "_fivetran_synced": SYNC,
        },
    ]
    return {
        ("salesforce", "lead"): leads,
        ("salesforce", "lead_history"): history,
        ("salesforce", "opportunity"): opportunities,
        ("salesforce", "opportunity_field_history"): opportunity_history,
        ("salesforce", "user"): users,
        ("salesforce", "user_role"): roles,
        ("salesforce", "account"): accounts,
        ("marketo", "lead"): marketo_leads,
        ("marketo", "activity_fill_out_form"): forms,
        ("marketo", "activity_merge_leads"): merges,
        ("salesforce", "campaign"): CAMPAIGNS,
        ("salesforce", "task"): tasks,
    }


def land_connector_formats(con: Any) -> None:
    """Re-land some columns the way real connectors and exports do (after write_raw_tables):

    * `lead.created_date` as ISO text: naive text is UTC; L08's carries an offset,
      `2025-03-04T16:00:00+02:00`, which is 14:00 UTC, the time every expectation uses;
    * `lead.annual_revenue` as text with thousands separators (`50,000,000`, L01
      `50 000 000`): the same 50,000,000.0 as before; `number_of_employees` as text, and
      L18's `about 500` is no number: quarantined as unparseable:number_of_employees;
    * `activity_fill_out_form.id` as text, with one id that is no number, `FF-9004`:
      quarantined as unparseable:id, known by that value (not as a null key).
    """
    con.execute(
        "alter table raw_salesforce.lead alter created_date type varchar"
        " using strftime(created_date, '%Y-%m-%dT%H:%M:%S');"
        "update raw_salesforce.lead set created_date = '2025-03-04T16:00:00+02:00'"
        " where id = '00QL08';"
        "alter table raw_salesforce.lead alter annual_revenue type varchar"
        " using format('{:,}', cast(annual_revenue as bigint));"
        "update raw_salesforce.lead set annual_revenue = '50 000 000' where id = '00QL01';"
        "alter table raw_salesforce.lead alter number_of_employees type varchar;"
        "update raw_salesforce.lead set number_of_employees = 'about 500' where id = '00QL18';"
        "alter table raw_marketo.activity_fill_out_form alter id type varchar;"
        "insert into raw_marketo.activity_fill_out_form"
        " (id, lead_id, activity_date, activity_type_id, primary_attribute_value, _fivetran_synced)"
        " values ('FF-9004', 11, timestamp '2025-03-12 09:10:00', 2, 'Ebook Download',"
        " timestamp '2025-04-30 23:00:00')"
    )
