"""The registry of stage-definition invariants: ``INVARIANTS`` and ways to pick a subset.

Each invariant (``data_quality.invariant.Invariant``) has a snake_case ``name`` (the rule it
enforces), a ``severity`` (``blocking`` | ``warning``), the ``mart`` it guards, a portable SQL
query and exactly one GX expectation; the rule's documentation is its ``description``. Each
lives in its own file, ``data_quality/rules/<name>.sql`` (header format in
``data_quality.invariant``), loaded once at import, in file-name order.
"""

from __future__ import annotations

from collections.abc import Iterable

from data_quality.invariant import Invariant, Severity, load_invariants

INVARIANTS: tuple[Invariant, ...] = load_invariants()

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
