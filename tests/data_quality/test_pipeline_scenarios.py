"""The checks on the marts `lead-funnel run` publishes from the hand-built scenario (the
contract's bad-input cases: null keys, re-syncs, soft deletes, merges, unmapped values, future
and out-of-order timestamps), from a CRM export with gaps (no BANT fields, no Marketo data) and
from generated data: no blocking failure; the gaps show up as warnings in the run summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from data_quality import CheckReport, Status, run_checks
from lead_funnel.contract import raw_tables
from lead_funnel_tools.raw_writer import write_raw_tables
from tests.conftest import as_of_text, lead_funnel_cli
from tests.scenarios.handbuilt import AS_OF, build_rows

pytestmark = pytest.mark.slow

BANT_COLUMNS = ("bant_budget_c", "bant_authority_c", "bant_need_c", "bant_timeline_c")


def checks_on(database: Path, docs: Path) -> CheckReport:
    """The invariants on the published marts, as `lead-funnel check` runs them (read-only)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return run_checks(con, data_docs_dir=docs)


@pytest.fixture(scope="module")
def handbuilt_report(
    handbuilt_run: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> CheckReport:
    assert handbuilt_run["completed"].returncode == 0, handbuilt_run["completed"].stderr[-2000:]
    return checks_on(handbuilt_run["database"], tmp_path_factory.mktemp("docs"))


@pytest.fixture(scope="module")
def gaps_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A CRM export without Marketo tables and without the BANT fields, through the CLI."""
    database = tmp_path_factory.mktemp("gaps") / "warehouse.duckdb"
    rows = {key: value for key, value in build_rows().items() if key[0] != "marketo"}
    omit = [(table.source, table.name) for table in raw_tables() if table.source == "marketo"]
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, rows, omit=omit)
        con.execute("drop schema raw_marketo")
        for column in BANT_COLUMNS:
            con.execute(f"alter table raw_salesforce.lead drop column {column}")
    completed = lead_funnel_cli("run", "--database", str(database), "--as-of", as_of_text(AS_OF))
    return {"database": database, "completed": completed}


def test_bad_input_cases_pass_every_blocking_check(handbuilt_report: CheckReport) -> None:
    assert handbuilt_report.blocking_failures == (), handbuilt_report.render_text()
    # the out-of-order lead (an MQL row dated before the lead's creation) is counted, not fatal
    source = handbuilt_report.result("cycles_rest_on_in_order_source_data")
    assert [row["cycle_id"] for row in source.sample_rows] == ["00QL13-1"]
    assert handbuilt_report.data_docs_index is not None
    assert handbuilt_report.data_docs_index.exists()


def test_an_export_with_gaps_runs_to_the_end_with_warnings(
    gaps_run: dict[str, Any], tmp_path: Path
) -> None:
    completed = gaps_run["completed"]
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # the summary names the warnings
    assert "0 blocking failed" in completed.stdout
    assert "warning  marts/fct_lead_cycles sqls_have_discovery_evidence" in completed.stdout
    # the same cycles as with Marketo, minus the two hand raises the forms opened
    with duckdb.connect(str(gaps_run["database"]), read_only=True) as con:
        lanes = con.execute(
            "select entry_lane, count(*) from marts.fct_lead_cycles group by 1 order by 1"
        ).fetchall()
        gaps = con.execute(
            "select table_name, coalesce(column_name, '-'), gap from audit.source_schema_gaps "
            "where source_name = 'salesforce' order by 1, 2"
        ).fetchall()
    assert ("fast_lane", 2) not in lanes
    assert gaps == [("lead", column, "column_missing") for column in sorted(BANT_COLUMNS)]
    report = checks_on(gaps_run["database"], tmp_path / "docs")
    assert report.blocking_failures == (), report.render_text()
    evidence = report.result("sqls_have_discovery_evidence")
    assert evidence.status is Status.FAILED
    assert evidence.unexpected_count == evidence.checked_count > 0


def test_generated_data_passes_every_blocking_check(
    generated_run: dict[str, Any], tmp_path: Path
) -> None:
    report = checks_on(generated_run["database"], tmp_path / "docs")
    assert report.blocking_failures == (), report.render_text()
    assert report.skipped == ()
    cycles = report.result("cycle_stage_times_never_go_backwards")
    assert cycles.checked_count > 100
