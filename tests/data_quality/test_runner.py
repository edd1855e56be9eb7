"""run_checks' behaviour: exemptions, partial projects, the summary, GX start-up, Data Docs,
failing-row tables, read-only databases and the as-of."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from data_quality import (
    INVARIANTS,
    Severity,
    Status,
    default_data_docs_dir,
    gx_runtime,
    run_checks,
)
from tests.data_quality.marts import AS_OF, BREAKS, build_clean_marts

STAGE_RULE = "cycle_stage_times_never_go_backwards"
SOURCE_WARNING = "cycles_rest_on_in_order_source_data"


def not_passed(report) -> dict[str, Status]:
    return {r.name: r.status for r in report.results if r.status is not Status.PASSED}


def test_out_of_order_source_cycles_are_exempt_but_counted(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    clean_con.execute(BREAKS[STAGE_RULE])
    clean_con.execute(
        "update marts.fct_lead_cycles set has_out_of_order_source = true where cycle_id = 'L01-1'"
    )
    report = run_checks(clean_con, as_of=AS_OF)

    assert not_passed(report) == {SOURCE_WARNING: Status.FAILED}
    assert report.ok
    stage_rule = report.result(STAGE_RULE)
    assert stage_rule.checked_count == 7  # 8 cycles, one exempt
    warning = report.result(SOURCE_WARNING)
    assert warning.severity is Severity.WARNING
    assert warning.unexpected_count == 1
    assert warning.sample_rows[0]["cycle_id"] == "L01-1"
    assert warning.sample_rows[0]["stage_times_in_order"] is False


def test_missing_relations_columns_and_settings_are_skipped_not_crashed(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    clean_con.execute("drop table marts.fct_lead_scores")
    clean_con.execute("drop table marts.fct_funnel_by_source")
    clean_con.execute("alter table marts.fct_lead_cycles drop column bant_flags_count")
    clean_con.execute("update intermediate.int_settings set mql_threshold = null")
    report = run_checks(clean_con, as_of=AS_OF)

    skipped = {r.name: r.message for r in report.results if r.status is Status.SKIPPED}
    assert skipped == {
        "funnel_stage_counts_never_increase": (
            "relation marts.fct_funnel_by_source does not exist"
        ),
        "funnel_rates_are_fractions": "relation marts.fct_funnel_by_source does not exist",
        "attribution_conserves_the_funnel": "relation marts.fct_funnel_by_source does not exist",
        "score_components_add_up_to_total": "relation marts.fct_lead_scores does not exist",
        "leads_below_the_fit_gate_are_never_mql_eligible": (
            "relation marts.fct_lead_scores does not exist"
        ),
        "sqls_have_discovery_evidence": ("marts.fct_lead_cycles lacks column(s) bant_flags_count"),
        "handoffs_meet_the_mql_definition": (
            "setting mql_threshold is missing in intermediate.int_settings"
        ),
    }
    assert report.ok  # a skip is a warning, never a blocking failure
    assert {r.name for r in report.warnings} == set(skipped)
    assert all(r.success is None for r in report.skipped)
    assert len(report.passed) == len(INVARIANTS) - len(skipped)
    assert "[skipped] score_components_add_up_to_total" in report.render_text()


def test_an_empty_database_skips_everything() -> None:
    con = duckdb.connect()
    report = run_checks(con)
    assert len(report.skipped) == len(INVARIANTS)
    assert report.ok


def test_an_empty_mart_passes_with_nothing_checked(clean_con: duckdb.DuckDBPyConnection) -> None:
    clean_con.execute("delete from marts.fct_sla_breaches")
    report = run_checks(clean_con, as_of=AS_OF, only_marts=["fct_sla_breaches"])
    assert [(r.status, r.checked_count) for r in report.results] == [(Status.PASSED, 0)] * 3


def test_a_blocking_check_that_cannot_be_evaluated_fails_closed(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    clean_con.execute("alter table marts.fct_lead_cycles alter cycle_number type varchar")
    clean_con.execute(
        "update marts.fct_lead_cycles set cycle_number = 'two' where cycle_id = 'L02-2'"
    )
    report = run_checks(clean_con, as_of=AS_OF, only_marts=["fct_lead_cycles"])

    result = report.result("cycle_numbers_run_from_one_without_gaps")
    assert result.status is Status.ERROR
    assert result.success is False
    assert "two" in (result.message or "")
    assert report.blocking_failures == (result,)


def test_summary_names_the_failed_rule_and_shows_a_sample_row(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    clean_con.execute(BREAKS[STAGE_RULE])
    clean_con.execute(BREAKS["rejections_have_a_taxonomy_reason"])
    text = run_checks(clean_con, as_of=AS_OF).render_text()

    assert text.startswith("Stage-invariant checks FAILED: 1 blocking failure(s), 1 warning(s)")
    assert f"[FAILED] {STAGE_RULE} (blocking, fct_lead_cycles): 1 of 8 rows offend" in text
    assert '"cycle_id": "L01-1"' in text
    assert '"sql_at": "2025-03-03T11:00:00"' in text
    assert f"all offending rows: audit.failed_{STAGE_RULE}" in text
    assert "[warning] rejections_have_a_taxonomy_reason" in text
    assert "by owner_id (offending/checked): 005LDN: 1/1" in text


def test_one_gx_context_per_run(
    clean_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[Path | None] = []
    real = gx_runtime.create_context

    def counting(data_docs_dir: Path | None = None):
        created.append(data_docs_dir)
        return real(data_docs_dir)

    monkeypatch.setattr(gx_runtime, "create_context", counting)
    run_checks(clean_con, as_of=AS_OF)
    assert len(created) == 1
    run_checks(clean_con, as_of=AS_OF, only_marts=["fct_lead_scores"])
    assert len(created) == 2


def test_data_docs_are_written(clean_con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    clean_con.execute(BREAKS["funnel_rates_are_fractions"])
    docs = tmp_path / "data_docs"
    report = run_checks(clean_con, as_of=AS_OF, data_docs_dir=docs)

    assert report.data_docs_index == (docs / "index.html").resolve()
    index = report.data_docs_index.read_text()
    for mart in ("fct_lead_cycles", "fct_funnel_by_source", "reconciliation_raw_rows"):
        assert f"{mart}__stage_invariants" in index
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == 6  # one validation per mart
    funnel_page = next(p for p in pages if "fct_funnel_by_source" in p.name).read_text()
    assert "funnel_rates_are_fractions" in funnel_page
    assert f"GX Data Docs: {report.data_docs_index.as_uri()}" in report.render_text()

    # a second run shows only itself
    report = run_checks(clean_con, as_of=AS_OF, data_docs_dir=docs)
    assert len(list((docs / "validations").rglob("*.html"))) == 6


def test_default_data_docs_dir_sits_beside_the_warehouse(tmp_path: Path) -> None:
    database = tmp_path / "data" / "lead_funnel.duckdb"
    assert default_data_docs_dir(database) == tmp_path / "data" / "lead_funnel_data_docs"


def test_failing_rows_table_is_dropped_once_the_rule_holds(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    clean_con.execute(BREAKS["every_raw_row_is_accounted_for"])
    report = run_checks(clean_con, only_marts=["reconciliation_raw_rows"])
    kept = clean_con.sql(
        "select table_name, staged_rows, checked_at "
        "from audit.failed_every_raw_row_is_accounted_for"
    ).fetchall()
    assert [row[:2] for row in kept] == [("lead", 11)]
    assert report.result("every_raw_row_is_accounted_for").sample_rows[0]["staged_rows"] == 11

    clean_con.execute(
        "update audit.reconciliation_raw_rows set staged_rows = 12 "
        "where source_name = 'salesforce' and table_name = 'lead'"
    )
    report = run_checks(clean_con, only_marts=["reconciliation_raw_rows"])
    assert report.ok
    tables = clean_con.sql(
        "select table_name from duckdb_tables() where schema_name = 'audit'"
    ).fetchall()
    assert tables == [("reconciliation_raw_rows",)]


def test_read_only_database_is_checked_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        build_clean_marts(con)
        con.execute(BREAKS["closed_sla_breaches_were_met_after_due"])
    with duckdb.connect(str(path), read_only=True) as con:
        report = run_checks(con, only_marts=["fct_sla_breaches"])
    result = report.result("closed_sla_breaches_were_met_after_due")
    assert result.status is Status.FAILED
    assert result.failed_rows_table is None
    assert report.failed_rows_schema is None
    assert "the database is open read-only" in report.render_text()
    with duckdb.connect(str(path), read_only=True) as con:
        failed_tables = con.execute(
            "select count(*) from duckdb_tables() where table_name like 'failed_%'"
        ).fetchall()
    assert failed_tables == [(0,)]


def test_as_of_decides_which_open_breaches_are_overdue(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    rule = "open_sla_breaches_are_unmet_and_overdue"
    # by default each breach row's own as_of; an explicit (aware) as-of overrides it
    assert run_checks(clean_con, only_marts=["fct_sla_breaches"]).ok
    before_due = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
    report = run_checks(clean_con, as_of=before_due, only_marts=["fct_sla_breaches"])
    assert not_passed(report) == {rule: Status.FAILED}
    assert report.result(rule).sample_rows[0]["checked_as_of"] == "2025-03-10T10:00:00"
    assert report.as_of == datetime(2025, 3, 10, 10, 0)


def test_handoff_share_is_reported_by_lane(clean_con: duckdb.DuckDBPyConnection) -> None:
    clean_con.execute(BREAKS["handoffs_meet_the_mql_definition"])
    clean_con.execute(
        "update marts.fct_lead_cycles set fit_score_at_mql = 30 where cycle_id = 'L01-1'"
    )
    result = run_checks(clean_con, as_of=AS_OF).result("handoffs_meet_the_mql_definition")
    # 6 handoffs outside the fast lane with a known score; 2 miss the definition
    assert (result.unexpected_count, result.checked_count) == (2, 6)
    assert result.unexpected_percent == pytest.approx(100 * 2 / 6)
    assert result.breakdown == {
        "manual": {"offending": 1, "checked": 2},
        "score": {"offending": 1, "checked": 4},
    }


def test_report_is_json_friendly(clean_con: duckdb.DuckDBPyConnection) -> None:
    import json

    clean_con.execute(BREAKS[STAGE_RULE])
    report = run_checks(clean_con, as_of=AS_OF)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["blocking_failures"] == [STAGE_RULE]
    assert data["ok"] is False
    assert set(data["timings"]) >= {"queries", "gx_context", "gx_validation", "total"}
