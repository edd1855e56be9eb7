"""The invariants as files: every ``data_quality/rules/*.sql`` is loaded, a bad header is a clear
error naming the file, the SQL stays portable and reads the stage roles from the seed, and each
assertion folded in from a deleted dbt twin still fails when its rule is broken."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from data_quality import INVARIANTS, INVARIANTS_BY_NAME, Status, run_checks
from data_quality.invariant import RULES_DIR, InvariantFileError, load_invariant, load_invariants
from tests.data_quality.marts import AS_OF

VALID = """\
-- rule: {name}
-- severity: warning
-- mart: fct_lead_cycles
-- keys: cycle_id
-- protects:
--   Something holds for every cycle.
--
--   Warning: why.
select cycle_id, true as holds
from {{marts.fct_lead_cycles}}
"""


def test_every_sql_file_is_one_invariant() -> None:
    stems = {path.stem for path in RULES_DIR.glob("*.sql")}
    assert len(stems) == 19
    assert set(INVARIANTS_BY_NAME) == stems
    for invariant in INVARIANTS:
        assert invariant.path == RULES_DIR / f"{invariant.name}.sql"
        assert "{fragment." not in invariant.sql, "fragments are expanded at load"


def test_a_file_is_read_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "every_cycle_is_fine.sql"
    path.write_text(VALID.format(name="every_cycle_is_fine"))
    (loaded,) = load_invariants(tmp_path)
    assert (loaded.name, loaded.severity, loaded.mart) == (
        "every_cycle_is_fine",
        "warning",
        "fct_lead_cycles",
    )
    assert loaded.key_columns == ("cycle_id",)
    assert loaded.description == "Something holds for every cycle.\n\nWarning: why."
    assert loaded.summary == "Something holds for every cycle."
    assert [(r.schema_role, r.relation) for r in loaded.reads] == [("marts", "fct_lead_cycles")]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("-- severity: warning\n", ""), "header lacks severity"),
        (lambda text: text.replace("-- keys: cycle_id\n", "-- keys:\n"), "header lacks keys"),
        (lambda text: text.split("select", 1)[1], "header lacks rule, severity, mart, keys"),
        (lambda text: text.replace("-- mart:", "-- guards:"), "unknown header field guards"),
        (lambda text: text.replace("severity: warning", "severity: fatal"), "is not blocking"),
        (lambda text: text.replace("rule: broken", "rule: other"), "must match the file name"),
        (lambda text: text.replace("{marts.", "{mart."), "unknown placeholder {mart.fct"),
        (lambda text: text.replace("as holds", "as ok"), "no `holds` column"),
    ],
)
def test_a_bad_file_is_rejected_naming_it(tmp_path: Path, edit, message: str) -> None:
    path = tmp_path / "broken.sql"
    path.write_text(edit(VALID.format(name="broken")))
    with pytest.raises(InvariantFileError, match=re.escape(message)) as raised:
        load_invariant(path)
    assert str(path) in str(raised.value)
    with pytest.raises(InvariantFileError, match=re.escape(str(path))):
        load_invariants(tmp_path)


def test_the_sql_is_portable_and_repeats_no_stage_role() -> None:
    """No DuckDB-only syntax where a standard form exists (the Spark engine runs these files),
    and no literal list of closing stages: the roles come from the stages seed."""
    duckdb_only = re.compile(r"\bqualify\b|\bexclude\s*\(|::|\barg_(min|max)\b|\bisnan\b", re.I)
    stage_literal = re.compile(r"'(rejected|recycled|disqualified|won|lost|sal|sql|mql)'")
    for invariant in INVARIANTS:
        assert not duckdb_only.search(invariant.sql), invariant.name
        assert not stage_literal.search(invariant.sql), invariant.name
    assert {"stages"} <= {
        r.relation for r in INVARIANTS_BY_NAME["rejections_have_a_taxonomy_reason"].reads
    }


# The assertions of the deleted dbt twins, each broken on the clean marts: the GX rule fails.
FOLDED_BREAKS = {
    "opportunities_outnumber_their_closes": (
        "funnel_stage_counts_never_increase",
        "update marts.fct_funnel_by_source set lost = 2 where channel = 'paid_search'",
    ),
    "mql_to_sql_rate_above_one": (
        "funnel_rates_are_fractions",
        "update marts.fct_funnel_by_source set mql_to_sql_rate = 1.5 where channel = 'webinar'",
    ),
    "total_off_by_a_hundred_thousandth": (
        "score_components_add_up_to_total",
        "update marts.fct_lead_scores set total_score = total_score + 0.00001 where lead_id = 'L01'",
    ),
    "eligible_without_passing_the_gate_flag": (
        "leads_below_the_fit_gate_are_never_mql_eligible",
        "update marts.fct_lead_scores set is_fit_gate_passed = false where lead_id = 'L01'",
    ),
    "unaccounted_rows_not_zero": (
        "every_raw_row_is_accounted_for",
        "update audit.reconciliation_raw_rows set unaccounted_rows = 1 "
        "where source_name = 'salesforce' and table_name = 'lead'",
    ),
}


@pytest.mark.parametrize("case", list(FOLDED_BREAKS))
def test_each_folded_dbt_twin_still_fails(clean_con: duckdb.DuckDBPyConnection, case: str) -> None:
    rule, statement = FOLDED_BREAKS[case]
    clean_con.execute(statement)
    report = run_checks(clean_con, as_of=AS_OF, only_invariants=[rule], store_failures=False)
    result = report.result(rule)
    assert result.status is Status.FAILED
    assert result.unexpected_count == 1
    assert report.blocking_failures == (result,)


def test_a_stage_role_edited_in_the_seed_changes_the_verdict(
    clean_con: duckdb.DuckDBPyConnection,
) -> None:
    """A rejected cycle without a taxonomy reason offends; once the seed says a rejection
    carries no reason, the same cycle is not applicable and the rule passes."""
    rule = "rejections_have_a_taxonomy_reason"
    clean_con.execute(
        "update marts.fct_lead_cycles set rejection_reason = null where cycle_id = 'L07-1'"
    )
    before = run_checks(clean_con, as_of=AS_OF, only_invariants=[rule], store_failures=False)
    assert before.result(rule).status is Status.FAILED
    assert before.result(rule).sample_rows[0]["cycle_id"] == "L07-1"

    clean_con.execute(
        "update seeds.stages set carries_rejection_reason = false where stage = 'rejected'"
    )
    after = run_checks(clean_con, as_of=AS_OF, only_invariants=[rule], store_failures=False)
    assert after.result(rule).status is Status.PASSED
    assert after.result(rule).checked_count == before.result(rule).checked_count - 1
