"""The outcome of a check run: one ``InvariantResult`` per invariant and a ``CheckReport``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from data_quality.invariant import Severity

SAMPLE_SIZE = 10


class Status(StrEnum):
    """``passed`` / ``failed``: GX's verdict. ``skipped``: a relation, column or setting the
    invariant needs does not exist (a partial project). ``error``: the check could not be
    evaluated (its query failed); a blocking invariant that errors counts as failed, since
    nothing proves it holds."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True)
class InvariantResult:
    """One invariant's outcome. ``sample_rows`` holds up to 10 offending rows (key and evidence
    columns, JSON-friendly values); ``failed_rows_table`` names the DuckDB table that keeps all
    of them (None when none failed or the connection is read-only); ``breakdown`` counts
    offending and checked rows per value of the invariant's ``group_by`` column (e.g. owner)."""

    name: str
    severity: Severity
    mart: str
    status: Status
    description: str
    unexpected_count: int = 0
    checked_count: int = 0
    unexpected_percent: float | None = None
    sample_rows: tuple[dict[str, Any], ...] = ()
    failed_rows_table: str | None = None
    group_by: str | None = None
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)
    message: str | None = None
    seconds: float = 0.0

    @property
    def success(self) -> bool | None:
        """True / False as GX judged it; None when skipped (not evaluated); False on error."""
        if self.status is Status.SKIPPED:
            return None
        return self.status is Status.PASSED

    @property
    def is_blocking_failure(self) -> bool:
        return self.severity is Severity.BLOCKING and self.status in (Status.FAILED, Status.ERROR)

    @property
    def is_warning(self) -> bool:
        """A non-blocking problem: a failed or errored warning-level invariant, or any skip."""
        if self.status is Status.SKIPPED:
            return True
        return self.severity is Severity.WARNING and self.status in (Status.FAILED, Status.ERROR)

    def headline(self) -> str:
        """One line: verdict, rule, mart and counts (or the skip / error reason)."""
        label = {
            Status.PASSED: "passed",
            Status.FAILED: "FAILED" if self.severity is Severity.BLOCKING else "warning",
            Status.SKIPPED: "skipped",
            Status.ERROR: "ERROR" if self.severity is Severity.BLOCKING else "warning (error)",
        }[self.status]
        line = f"[{label}] {self.name} ({self.severity}, {self.mart})"
        if self.status in (Status.SKIPPED, Status.ERROR):
            return f"{line}: {self.message}"
        share = "" if self.unexpected_percent is None else f" ({self.unexpected_percent:.2f}%)"
        return f"{line}: {self.unexpected_count} of {self.checked_count} rows offend{share}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (e.g. for Dagster asset-check metadata)."""
        return {
            "name": self.name,
            "severity": str(self.severity),
            "mart": self.mart,
            "status": str(self.status),
            "success": self.success,
            "unexpected_count": self.unexpected_count,
            "checked_count": self.checked_count,
            "unexpected_percent": self.unexpected_percent,
            "sample_rows": list(self.sample_rows),
            "failed_rows_table": self.failed_rows_table,
            "group_by": self.group_by,
            "breakdown": self.breakdown,
            "message": self.message,
            "description": self.description,
        }


@dataclass(frozen=True)
class CheckReport:
    """Every invariant's result for one ``run_checks`` call, plus where the Data Docs and the
    failing rows went and how long the parts took (``timings``, seconds)."""

    results: tuple[InvariantResult, ...]
    as_of: datetime | None = None
    data_docs_index: Path | None = None
    failed_rows_schema: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def blocking_failures(self) -> tuple[InvariantResult, ...]:
        """Blocking invariants that failed (or could not be evaluated): the run must fail."""
        return tuple(result for result in self.results if result.is_blocking_failure)

    @property
    def warnings(self) -> tuple[InvariantResult, ...]:
        """Non-blocking problems: failed warning-level invariants and skipped invariants."""
        return tuple(result for result in self.results if result.is_warning)

    @property
    def passed(self) -> tuple[InvariantResult, ...]:
        return tuple(result for result in self.results if result.status is Status.PASSED)

    @property
    def skipped(self) -> tuple[InvariantResult, ...]:
        return tuple(result for result in self.results if result.status is Status.SKIPPED)

    @property
    def ok(self) -> bool:
        """No blocking failure: the marts may be published."""
        return not self.blocking_failures

    def result(self, name: str) -> InvariantResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"no result for invariant {name!r}")

    def for_mart(self, mart: str) -> tuple[InvariantResult, ...]:
        return tuple(result for result in self.results if result.mart == mart)

    def render_text(self, *, sample_rows: int = 5) -> str:
        """A plain-text summary: the verdict, every failed blocking rule with its description
        and sample offending rows, every warning (with its breakdown), the skipped checks, and
        where the failing rows and the Data Docs are."""
        verdict = "FAILED" if self.blocking_failures else "passed"
        lines = [
            f"Stage-invariant checks {verdict}: {len(self.blocking_failures)} blocking "
            f"failure(s), {len(self.warnings)} warning(s), {len(self.passed)} of "
            f"{len(self.results)} passed"
            + ("" if self.as_of is None else f" (as of {self.as_of:%Y-%m-%d %H:%M:%S} UTC)")
        ]
        for result in self.blocking_failures:
            lines.append(result.headline())
            lines.append(f"    rule: {_one_line(result.description)}")
            lines.extend(_details(result, sample_rows))
        for result in self.warnings:
            lines.append(result.headline())
            if result.status is not Status.SKIPPED:
                lines.extend(_details(result, min(sample_rows, 3)))
        if self.failed_rows_schema is None and any(
            result.status is Status.FAILED for result in self.results
        ):
            lines.append("Failing rows were not stored: the database is open read-only.")
        if self.data_docs_index is not None:
            lines.append(f"GX Data Docs: {self.data_docs_index.as_uri()}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "data_docs_index": None if self.data_docs_index is None else str(self.data_docs_index),
            "failed_rows_schema": self.failed_rows_schema,
            "blocking_failures": [result.name for result in self.blocking_failures],
            "warnings": [result.name for result in self.warnings],
            "timings": self.timings,
            "results": [result.as_dict() for result in self.results],
        }


def _one_line(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


def _details(result: InvariantResult, sample_rows: int) -> list[str]:
    lines: list[str] = []
    if result.message and result.status not in (Status.SKIPPED, Status.ERROR):
        lines.append(f"    note: {result.message}")
    if result.breakdown:
        worst = sorted(result.breakdown.items(), key=lambda item: -item[1]["offending"])[:10]
        parts = [f"{group}: {counts['offending']}/{counts['checked']}" for group, counts in worst]
        lines.append(f"    by {result.group_by} (offending/checked): {', '.join(parts)}")
    if result.failed_rows_table:
        lines.append(f"    all offending rows: {result.failed_rows_table}")
    for row in result.sample_rows[:sample_rows]:
        lines.append(f"    sample: {json.dumps(row, default=str)}")
    return lines
