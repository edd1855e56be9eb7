"""The key a stored dbt manifest is reused under (orchestration/dbt_inprocess.py)."""

from __future__ import annotations

import pytest

from orchestration.dbt_inprocess import manifest_key

PARSE_READ = ["LEAD_FUNNEL_MARTS_SCHEMA", "LEAD_FUNNEL_AS_OF", "LEAD_FUNNEL_SALESFORCE_SCHEMA"]


def _key(monkeypatch: pytest.MonkeyPatch, **values: str) -> dict:
    base = {
        "LEAD_FUNNEL_MARTS_SCHEMA": "marts_build",
        "LEAD_FUNNEL_AS_OF": "2026-01-01 02:00:00",
        "LEAD_FUNNEL_SALESFORCE_SCHEMA": "raw_salesforce",
        "LEAD_FUNNEL_DATABASE": "/data/a/warehouse.duckdb",
    }
    for name, value in {**base, **values}.items():
        monkeypatch.setenv(name, value)
    return manifest_key(PARSE_READ)


def test_a_new_as_of_or_another_directory_reuses_the_manifest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tonight = _key(monkeypatch)
    assert _key(monkeypatch, LEAD_FUNNEL_AS_OF="2026-01-02 02:00:00") == tonight
    assert _key(monkeypatch, LEAD_FUNNEL_DATABASE="/tmp/b/warehouse.duckdb") == tonight


def test_what_the_parse_bakes_in_asks_for_a_new_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    tonight = _key(monkeypatch)
    assert _key(monkeypatch, LEAD_FUNNEL_MARTS_SCHEMA="marts") != tonight  # schema of every mart
    assert _key(monkeypatch, LEAD_FUNNEL_SALESFORCE_SCHEMA="crm") != tonight  # sources' schema
    # every node names the DuckDB catalog, the file's stem
    assert _key(monkeypatch, LEAD_FUNNEL_DATABASE="/data/a/other.duckdb") != tonight
    assert tonight["catalog"] == "warehouse"
    assert "LEAD_FUNNEL_AS_OF" not in tonight["env"]
