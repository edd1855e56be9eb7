"""Every kind of bad input is present, at least a few times, even at 10k leads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lead_funnel_tools.generator import generate
from lead_funnel_tools.generator.vocab import (
    LEAD_SOURCE_TEXTS,
    MAPPED_STATUSES,
    UNMAPPED_LEAD_SOURCES,
)

END = "2026-01-01 00:00:00"
MAPPED_SOURCES = [s for s in LEAD_SOURCE_TEXTS if s not in UNMAPPED_LEAD_SOURCES]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("bad") / "bad.duckdb"
    generate(path, leads=10_000, seed=42, progress=False)
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _count(con, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])


def _in_list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


KINDS = {
    "resync_duplicate_lead": "SELECT count(*) FROM (SELECT id FROM raw_salesforce.lead "
    "WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)",
    "resync_duplicate_opportunity": "SELECT count(*) FROM (SELECT id FROM raw_salesforce.opportunity"
    " GROUP BY id HAVING count(*) > 1 AND count(DISTINCT _fivetran_synced) > 1)",
    "resync_duplicate_activity": "SELECT count(*) FROM (SELECT id FROM "
    "raw_marketo.activity_visit_webpage WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)",
    "soft_deleted_lead": "SELECT count(*) FROM raw_salesforce.lead "
    "WHERE is_deleted AND master_record_id IS NULL",
    "soft_deleted_task": "SELECT count(*) FROM raw_salesforce.task WHERE is_deleted",
    "fivetran_deleted_marketo_lead": "SELECT count(*) FROM raw_marketo.lead WHERE _fivetran_deleted",
    "marketo_delete_activity": "SELECT count(*) FROM raw_marketo.activity_delete_lead",
    "marketo_merge": "SELECT count(*) FROM raw_marketo.activity_merge_leads m "
    "JOIN raw_marketo.lead l ON l.id = CAST(m.merge_ids AS INTEGER) AND l._fivetran_deleted",
    "loser_activity_kept": "SELECT count(*) FROM raw_marketo.activity_visit_webpage v "
    "WHERE v.lead_id IN (SELECT CAST(merge_ids AS INTEGER) FROM raw_marketo.activity_merge_leads)",
    "salesforce_merge": "SELECT count(*) FROM raw_salesforce.lead l "
    "JOIN raw_salesforce.lead w ON w.id = l.master_record_id WHERE l.is_deleted",
    "unmapped_status": "SELECT count(*) FROM raw_salesforce.lead_history WHERE field = 'Status' "
    f"AND new_value NOT IN ({_in_list(list(MAPPED_STATUSES))})",
    "unmapped_lead_source": "SELECT count(DISTINCT id) FROM raw_salesforce.lead "
    f"WHERE lead_source NOT IN ({_in_list(MAPPED_SOURCES)})",
    "null_key_lead": "SELECT count(*) FROM raw_salesforce.lead WHERE id IS NULL",
    "null_key_history": "SELECT count(*) FROM raw_salesforce.lead_history WHERE id IS NULL",
    "null_key_activity": "SELECT count(*) FROM raw_marketo.activity_visit_webpage WHERE id IS NULL",
    "history_before_lead_created": "SELECT count(*) FROM raw_salesforce.lead_history h "
    "JOIN raw_salesforce.lead l ON l.id = h.lead_id WHERE h.created_date < l.created_date",
    "opportunity_closed_before_created": "SELECT count(*) FROM raw_salesforce.opportunity "
    "WHERE is_closed AND close_date < CAST(created_date AS DATE)",
    "future_activity": "SELECT count(*) FROM raw_marketo.activity_visit_webpage "
    f"WHERE activity_date > TIMESTAMP '{END}'",
    "future_task": f"SELECT count(*) FROM raw_salesforce.task WHERE completed_date_time > '{END}'",
    "future_lead_modified": "SELECT count(*) FROM raw_salesforce.lead "
    f"WHERE last_modified_date > TIMESTAMP '{END}'",
    "malformed_email": "SELECT count(DISTINCT id) FROM raw_salesforce.lead "
    "WHERE NOT regexp_full_match(email, '[^@\\s]+@[^@\\s]+\\.[a-z]{2,}')",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_bad_input_kind_is_present(con, kind: str) -> None:
    assert _count(con, KINDS[kind]) >= (1 if kind.startswith(("null_key", "future")) else 3)


def test_bad_input_stays_rare(con) -> None:
    leads = _count(con, "SELECT count(DISTINCT id) FROM raw_salesforce.lead")
    deleted = _count(con, "SELECT count(DISTINCT id) FROM raw_salesforce.lead WHERE is_deleted")
    assert deleted / leads < 0.01


def test_no_bad_input_when_bad_rate_is_zero(tmp_path: Path) -> None:
    path = tmp_path / "clean.duckdb"
    generate(path, leads=2_000, bad_rate=0.0, progress=False)
    clean = duckdb.connect(str(path), read_only=True)
    for kind in ("resync_duplicate_lead", "soft_deleted_lead", "null_key_lead", "malformed_email"):
        assert _count(clean, KINDS[kind]) == 0, kind
    clean.close()
