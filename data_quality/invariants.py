"""The registry of stage-definition invariants: ``INVARIANTS`` and ways to pick a subset.

Each invariant (``data_quality.invariant.Invariant``) has a snake_case ``name`` (the rule it
enforces), a ``severity`` (``blocking`` | ``warning``), the ``mart`` it guards, a DuckDB query
and exactly one GX expectation; the rule's documentation is its ``description``. They live in
``data_quality.rules``, one module per mart.
"""

from __future__ import annotations

from collections.abc import Iterable

from data_quality.invariant import Invariant, Severity
from data_quality.rules import attribution, cycles, funnel, reconciliation, scores, sla

INVARIANTS: tuple[Invariant, ...] = (
    cycles.cycle_stage_times_never_go_backwards,
    cycles.cycles_rest_on_in_order_source_data,
    cycles.cycle_decisions_follow_a_handoff,
    cycles.sqls_follow_an_acceptance,
    cycles.opportunities_follow_an_sql,
    cycles.lead_has_at_most_one_open_cycle,
    cycles.cycle_numbers_run_from_one_without_gaps,
    cycles.rejections_have_a_taxonomy_reason,
    cycles.sqls_have_discovery_evidence,
    cycles.handoffs_meet_the_mql_definition,
    funnel.funnel_stage_counts_never_increase,
    funnel.funnel_rates_are_fractions,
    attribution.attribution_conserves_the_funnel,
    scores.score_components_add_up_to_total,
    scores.leads_below_the_fit_gate_are_never_mql_eligible,
    sla.sla_breaches_are_due_after_they_start,
    sla.closed_sla_breaches_were_met_after_due,
    sla.open_sla_breaches_are_unmet_and_overdue,
    reconciliation.every_raw_row_is_accounted_for,
)

INVARIANTS_BY_NAME: dict[str, Invariant] = {inv.name: inv for inv in INVARIANTS}

# Mart -> its invariants, in registry order (one GX suite per mart).
MARTS: dict[str, tuple[Invariant, ...]] = {
    mart: tuple(inv for inv in INVARIANTS if inv.mart == mart)
    for mart in dict.fromkeys(inv.mart for inv in INVARIANTS)
}

BLOCKING: tuple[str, ...] = tuple(inv.name for inv in INVARIANTS if inv.is_blocking)
WARNING: tuple[str, ...] = tuple(inv.name for inv in INVARIANTS if inv.severity is Severity.WARNING)


def select_invariants(
    *,
    marts: Iterable[str] | None = None,
    names: Iterable[str] | None = None,
) -> tuple[Invariant, ...]:
    """The invariants guarding any of ``marts`` and named in ``names`` (None: no filter), in
    registry order. Unknown mart or invariant names raise ``KeyError`` (a typo must not
    silently check nothing)."""
    selected = INVARIANTS
    if marts is not None:
        wanted_marts = set(marts)
        unknown = wanted_marts - set(MARTS)
        if unknown:
            raise KeyError(f"no invariants guard {sorted(unknown)}; known marts: {sorted(MARTS)}")
        selected = tuple(inv for inv in selected if inv.mart in wanted_marts)
    if names is not None:
        wanted_names = set(names)
        unknown = wanted_names - set(INVARIANTS_BY_NAME)
        if unknown:
            raise KeyError(f"unknown invariants {sorted(unknown)}")
        selected = tuple(inv for inv in selected if inv.name in wanted_names)
    return selected
