"""Stage-definition invariants as Great Expectations (GX Core 1.x) suites, written in code.

Public API (importing this package does not import GX; ``run_checks`` does, once per process):

* ``INVARIANTS``: every invariant (``name``, ``severity``, ``mart``, ``description``, query);
  ``INVARIANTS_BY_NAME``, ``MARTS`` (mart -> its invariants), ``select_invariants``.
* ``run_checks(con, ...) -> CheckReport``: run all of them, or a subset (``only_marts``,
  ``only_invariants``), with one GX context per call.
* ``default_data_docs_dir(database)``: the known Data Docs folder beside a warehouse file.
* ``CheckReport``: ``results``, ``blocking_failures``, ``warnings``, ``passed``, ``skipped``,
  ``ok``, ``data_docs_index``, ``render_text()``, ``as_dict()``.
"""

from data_quality.invariant import Invariant, Severity
from data_quality.invariants import (
    BLOCKING,
    INVARIANTS,
    INVARIANTS_BY_NAME,
    MARTS,
    WARNING,
    select_invariants,
)
from data_quality.report import CheckReport, InvariantResult, Status
from data_quality.runner import default_data_docs_dir, run_checks

__all__ = [
    "BLOCKING",
    "INVARIANTS",
    "INVARIANTS_BY_NAME",
    "MARTS",
    "WARNING",
    "CheckReport",
    "Invariant",
    "InvariantResult",
    "Severity",
    "Status",
    "default_data_docs_dir",
    "run_checks",
    "select_invariants",
]
