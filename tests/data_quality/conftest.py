"""Fixtures for the data-quality tests: clean hand-built marts and one clean run of the checks."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from data_quality import CheckReport, run_checks
from lead_funnel.telemetry import disable_telemetry
from tests.data_quality.marts import AS_OF, clean_connection

disable_telemetry()


@pytest.fixture
def clean_con() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh in-memory database holding the clean marts (a few milliseconds to build)."""
    con = clean_connection()
    yield con
    con.close()


@pytest.fixture(scope="session")
def clean_report() -> CheckReport:
    """The checks run once on the clean marts (pays GX's import for the session)."""
    con = clean_connection()
    try:
        return run_checks(con, as_of=AS_OF)
    finally:
        con.close()
