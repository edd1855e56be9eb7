"""All invariants pass on correct marts; each smallest break fails exactly its own expectation."""

from __future__ import annotations

import duckdb
import pytest

from data_quality import INVARIANTS, INVARIANTS_BY_NAME, CheckReport, Status, run_checks
from tests.data_quality.marts import AS_OF, BREAKS

# Offending rows per break when not 1: both open cycles of the lead offend.
OFFENDING_ROWS = {"lead_has_at_most_one_open_cycle": 2}


def test_every_invariant_has_a_break() -> None:
    assert set(BREAKS) == set(INVARIANTS_BY_NAME)


def test_all_invariants_pass_on_clean_marts(clean_report: CheckReport) -> None:
    assert [result.name for result in clean_report.results] == [inv.name for inv in INVARIANTS]
    not_passed = {r.name: (r.status, r.message) for r in clean_report.results if not r.success}
    assert not_passed == {}
    assert clean_report.ok
    assert clean_report.blocking_failures == ()
    assert clean_report.warnings == ()
    for result in clean_report.results:
        assert result.checked_count > 0, f"{result.name} checked no rows on the clean marts"
        assert result.unexpected_count == 0
        assert result.sample_rows == ()
        assert result.failed_rows_table is None


@pytest.mark.parametrize("name", list(BREAKS))
def test_smallest_break_fails_exactly_that_expectation(
    clean_con: duckdb.DuckDBPyConnection, name: str
) -> None:
    clean_con.execute(BREAKS[name])
    report = run_checks(clean_con, as_of=AS_OF)

    failed = {result.name for result in report.results if result.status is not Status.PASSED}
    assert failed == {name}
    result = report.result(name)
    assert result.status is Status.FAILED
    assert result.success is False
    offending = OFFENDING_ROWS.get(name, 1)
    assert result.unexpected_count == offending
    assert len(result.sample_rows) == offending
    sample = result.sample_rows[0]
    for key in INVARIANTS_BY_NAME[name].key_columns:
        assert sample[key] is not None
    assert result.unexpected_percent == pytest.approx(100 * offending / result.checked_count)
    invariant = INVARIANTS_BY_NAME[name]
    if invariant.is_blocking:
        assert report.blocking_failures == (result,)
        assert report.warnings == ()
        assert not report.ok
    else:
        assert report.blocking_failures == ()
        assert report.warnings == (result,)
        assert report.ok
    # the offending rows are kept for inspection in the (writable) database
    assert result.failed_rows_table == f"audit.failed_{name}"
    kept = clean_con.execute(f"select count(*) from audit.failed_{name}").fetchone()
    assert kept == (offending,)
