"""The registry: every invariant is named after its rule, documented, and has one expectation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from data_quality import INVARIANTS, INVARIANTS_BY_NAME, MARTS, Severity, select_invariants
from data_quality.gx_runtime import expectation_for

REPO = Path(__file__).resolve().parents[2]
EXPECTED_MARTS = {
    "fct_lead_cycles",
    "fct_funnel_by_source",
    "fct_attribution_by_channel",
    "fct_lead_scores",
    "fct_sla_breaches",
    "reconciliation_raw_rows",
}


def test_names_are_unique_snake_case_and_documented() -> None:
    assert len(INVARIANTS_BY_NAME) == len(INVARIANTS)
    for invariant in INVARIANTS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", invariant.name), invariant.name
        assert invariant.severity in (Severity.BLOCKING, Severity.WARNING)
        assert len(invariant.description) > 150, invariant.name
        why = "Blocking:" if invariant.is_blocking else "Warning:"
        assert why in invariant.description, f"{invariant.name} must say why it is {why}"


def test_every_mart_of_the_issue_is_guarded() -> None:
    assert set(MARTS) == EXPECTED_MARTS
    warnings = {inv.name for inv in INVARIANTS if inv.severity is Severity.WARNING}
    assert warnings == {
        "cycles_rest_on_in_order_source_data",
        "rejections_have_a_taxonomy_reason",
        "sqls_have_discovery_evidence",
        "handoffs_meet_the_mql_definition",
    }


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda inv: inv.name)
def test_one_expectation_named_after_the_rule(invariant) -> None:
    expectation = expectation_for(invariant)
    assert expectation.column == invariant.name
    assert expectation.meta == {
        "rule": invariant.name,
        "severity": str(invariant.severity),
        "mart": invariant.mart,
    }
    assert expectation.notes == invariant.description
    assert expectation.severity.value == ("critical" if invariant.is_blocking else "warning")


def test_select_invariants_filters_and_rejects_typos() -> None:
    assert {inv.mart for inv in select_invariants(marts=["fct_sla_breaches"])} == {
        "fct_sla_breaches"
    }
    assert [inv.name for inv in select_invariants(names=["funnel_rates_are_fractions"])] == [
        "funnel_rates_are_fractions"
    ]
    with pytest.raises(KeyError):
        select_invariants(marts=["fct_lead_cycle"])
    with pytest.raises(KeyError):
        select_invariants(names=["no_such_rule"])


def test_importing_the_package_does_not_import_gx() -> None:
    code = "import sys, data_quality; print('great_expectations' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
