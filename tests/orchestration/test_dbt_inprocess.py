"""The key a stored dbt manifest is reused under (orchestration/dbt_inprocess.py)."""

from __future__ import annotations

from typing import Any

import pytest

from orchestration.dbt_inprocess import PARTIAL_PARSE_FILE, manifest_key, relocate_catalog

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
    # another file name too: the stored manifest is relocated to its catalog
    assert _key(monkeypatch, LEAD_FUNNEL_DATABASE="/data/a/other.duckdb") == tonight


def test_what_the_parse_bakes_in_asks_for_a_new_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    tonight = _key(monkeypatch)
    assert _key(monkeypatch, LEAD_FUNNEL_MARTS_SCHEMA="marts") != tonight  # schema of every mart
    assert _key(monkeypatch, LEAD_FUNNEL_SALESFORCE_SCHEMA="crm") != tonight  # sources' schema
    assert "LEAD_FUNNEL_AS_OF" not in tonight["env"]


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def _content(manifest: Any) -> dict[str, Any]:
    """Every resource of a manifest as plain data."""
    kinds = ("nodes", "sources", "semantic_models", "exposures", "metrics", "saved_queries")
    kinds += ("unit_tests", "macros")
    return {
        kind: {key: item.to_dict() for key, item in getattr(manifest, kind).items()}
        for kind in kinds
    }


def test_a_manifest_parsed_for_one_file_is_relocated_to_another_catalog_and_nothing_else() -> None:
    """The stored manifest of the Dagster definitions (parsed for lead_funnel_parse.duckdb)
    relocated to nightly.duckdb: the old catalog is named nowhere, and naming it back gives
    the manifest as parsed, so nothing but the catalog changed."""
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder

    from lead_funnel.manifest import MANIFEST_TARGET, ensure_manifest

    ensure_manifest()
    state = (MANIFEST_TARGET / PARTIAL_PARSE_FILE).read_bytes()
    manifest = Manifest.from_msgpack(state, decoder=extended_mashumuro_decoder)
    before = _content(manifest)
    old = "lead_funnel_parse"
    lead = "source.lead_funnel.salesforce.lead"
    assert before["sources"][lead]["relation_name"] == f'"{old}"."raw_salesforce"."lead"'
    changed = relocate_catalog(manifest, old, "nightly")
    relocated = _content(manifest)
    assert changed > 300  # every model, seed, test, source and semantic model
    assert not [text for text in _strings(relocated) if old in text]
    assert relocated["sources"][lead]["relation_name"] == '"nightly"."raw_salesforce"."lead"'
    assert relocate_catalog(manifest, "nightly", old) == changed
    assert _content(manifest) == before
