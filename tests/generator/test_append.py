"""append_days lands the next days the way a connector would, deterministically."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lead_funnel.contract import raw_tables_by_key
from lead_funnel_tools.generator import append_days, generate

OLD_END = "2026-01-01 00:00:00"
GROWING = (
    "raw_salesforce.lead",
    "raw_salesforce.lead_history",
    "raw_salesforce.task",
    "raw_marketo.lead",
    "raw_marketo.activity_visit_webpage",
    "raw_marketo.activity_fill_out_form",
)


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every raw table's rows in storage (insertion) order, as text."""
    con = duckdb.connect(str(path), read_only=True)
    out = {
        name: [
            r[0] for r in con.execute(f"SELECT t::VARCHAR FROM {table.qualified_name} t").fetchall()
        ]
        for name, table in raw_tables_by_key().items()
    }
    con.close()
    return out


@pytest.fixture(scope="module")
def appended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict, object]:
    folder = tmp_path_factory.mktemp("append")
    path = folder / "a.duckdb"
    generate(path, leads=4_000, seed=11, progress=False)
    before = rows(path)
    report = append_days(path, days=1, progress=False)
    return path, before, rows(path), report


def test_row_counts_grow(appended) -> None:
    _, before, after, report = appended
    for table in GROWING:
        assert len(after[table]) > len(before[table]), table
    assert sum(report.rows.values()) > 0
    assert report.total_rows["raw_salesforce.lead"] == len(after["raw_salesforce.lead"])


def test_existing_rows_are_never_rewritten(appended) -> None:
    _, before, after, _ = appended
    for table, old in before.items():
        assert after[table][: len(old)] == old, table


def test_changed_rows_are_resynced_with_a_later_sync(appended) -> None:
    path, _, _, _ = appended
    con = duckdb.connect(str(path), read_only=True)
    resynced = con.execute(f"""
        SELECT count(*) FROM raw_salesforce.lead new
        WHERE new._fivetran_synced > TIMESTAMP '{OLD_END}' AND new.id IN (
            SELECT id FROM raw_salesforce.lead WHERE _fivetran_synced <= TIMESTAMP '{OLD_END}')
    """).fetchall()[0][0]  # fmt: skip
    assert resynced > 0
    con.close()


def test_some_rows_arrive_late(appended) -> None:
    path, _, _, _ = appended
    con = duckdb.connect(str(path), read_only=True)
    late = 0
    for table, column in (
        ("raw_marketo.activity_visit_webpage", "activity_date"),
        ("raw_marketo.activity_open_email", "activity_date"),
        ("raw_salesforce.lead_history", "created_date"),
        ("raw_salesforce.lead", "created_date"),
    ):
        late += con.execute(f"""
            SELECT count(*) FROM {table}
            WHERE {column} < TIMESTAMP '{OLD_END}' - INTERVAL 1 HOUR
              AND _fivetran_synced > TIMESTAMP '{OLD_END}'
        """).fetchall()[0][0]  # fmt: skip
    assert late > 0
    end = con.execute("SELECT max(_fivetran_synced) FROM raw_salesforce.lead").fetchall()[0][0]
    assert str(end) <= "2026-01-02 00:00:00"
    con.close()


def test_open_cycles_progress_in_the_new_day(appended) -> None:
    path, _, _, _ = appended
    con = duckdb.connect(str(path), read_only=True)
    changes = con.execute(f"""
        SELECT count(*) FROM raw_salesforce.lead_history h
        JOIN raw_salesforce.lead l ON l.id = h.lead_id
        WHERE h.created_date >= TIMESTAMP '{OLD_END}' AND l.created_date < TIMESTAMP '{OLD_END}'
    """).fetchall()[0][0]  # fmt: skip
    assert changes > 0
    con.close()


def test_append_is_deterministic(appended, tmp_path: Path) -> None:
    _, _, after, _ = appended
    other = tmp_path / "b.duckdb"
    generate(other, leads=4_000, seed=11, progress=False)
    append_days(other, days=1, progress=False)
    assert rows(other) == after


def test_append_needs_a_generated_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="generate first"):
        append_days(tmp_path / "empty.duckdb", days=1, progress=False)
