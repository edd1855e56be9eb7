"""The source boundary: only staging and the canonical models read a source.

A source's staging is every model under `models/staging/<source>/` (its bases and
`stg_` models) plus the source tables themselves. Past `models/intermediate/canonical/`
(the canonical events and entities, one `union all` branch per source) nothing may
depend on them: a second CRM then adds its staging and one branch per canonical model,
and the funnel does not change. Read from the manifest dbt parses (the one Dagster
builds its assets from), so a ref in a config hook or a macro counts as well.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fnmatch import fnmatch
from typing import Any

import pytest

from lead_funnel.manifest import ensure_manifest

CANONICAL_FOLDER = "models/intermediate/canonical/"
STAGING_FOLDER = "models/staging/"

# (consumer, producer pattern) pairs outside staging and the canonical folder allowed to
# read a source or its staging, with the reason. Each must still be needed: a stale
# entry fails too.
ALLOWED: Mapping[tuple[str, str], str] = {
    ("reconciliation_raw_rows", "base_*"): (
        "the audit of raw rows counts every base's dispositions per source table"
    ),
    ("reconciliation_raw_rows", "source.*"): "... against the raw table's row count",
    (
        "source_schema_gaps",
        "source.*",
    ): "the audit of the raw tables' columns against the sources yml",
}


def source_names(manifest: Mapping[str, Any]) -> set[str]:
    return {source["source_name"] for source in manifest["sources"].values()}


def is_source_staging(node: Mapping[str, Any], sources: set[str]) -> bool:
    path = node.get("original_file_path", "")
    return any(path.startswith(f"{STAGING_FOLDER}{source}/") for source in sources)


def may_read_sources(node: Mapping[str, Any]) -> bool:
    path = node.get("original_file_path", "")
    if node["resource_type"] == "unit_test":
        # a unit test's inputs are its model's parents: judged on the model
        return True
    return path.startswith(STAGING_FOLDER) or path.startswith(CANONICAL_FOLDER)


def allowance_key(consumer: str, producer: str) -> tuple[str, str] | None:
    """The ALLOWED entry that covers this crossing, if any."""
    for allowed_consumer, pattern in ALLOWED:
        if consumer == allowed_consumer and fnmatch(producer, pattern):
            return (allowed_consumer, pattern)
    return None


def boundary_crossings(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(consumer, producer) for every node outside staging/canonical reading a source's staging."""
    sources = source_names(manifest)
    nodes = {
        **manifest["nodes"],
        **manifest.get("exposures", {}),
        **manifest.get("semantic_models", {}),
    }
    source_staging = {
        unique_id: node["name"]
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and is_source_staging(node, sources)
    }
    crossings = []
    for node in nodes.values():
        if may_read_sources(node):
            continue
        for parent in node.get("depends_on", {}).get("nodes", []):
            if parent in source_staging:
                crossings.append((node["name"], source_staging[parent]))
            elif parent.startswith("source."):
                crossings.append((node["name"], parent))
    return sorted(set(crossings))


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads(ensure_manifest().read_text())


def test_nothing_past_the_canonical_models_reads_a_source(manifest: dict[str, Any]) -> None:
    crossings = boundary_crossings(manifest)
    unexpected = [c for c in crossings if allowance_key(*c) is None]
    assert unexpected == [], (
        "these read a source's staging past the canonical models "
        "(read the int_crm__/int_map__/int_events__ model instead, or add the source's "
        f"columns to it): {unexpected}"
    )
    used = {allowance_key(*c) for c in crossings} - {None}
    stale = sorted(set(ALLOWED) - used)
    assert stale == [], f"allowed crossings no longer needed, remove them from ALLOWED: {stale}"


def test_the_canonical_models_read_only_staging(manifest: dict[str, Any]) -> None:
    """A canonical model is a union of sources' staging: a second source adds one branch."""
    sources = source_names(manifest)
    canonical = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(CANONICAL_FOLDER)
    ]
    assert len(canonical) >= 20
    for node in canonical:
        parents = node["depends_on"]["nodes"]
        assert parents, node["name"]
        for parent in parents:
            assert is_source_staging(manifest["nodes"][parent], sources), (node["name"], parent)


def test_the_check_finds_a_mart_that_reads_staging(manifest: dict[str, Any]) -> None:
    """The boundary check itself: a mart given a staging parent is reported."""
    tampered = json.loads(json.dumps(manifest))
    mart = next(
        node
        for node in tampered["nodes"].values()
        if node["name"] == "fct_lead_cycles" and node["resource_type"] == "model"
    )
    mart["depends_on"]["nodes"].append("model.lead_funnel.stg_salesforce__opportunity")
    assert ("fct_lead_cycles", "stg_salesforce__opportunity") in boundary_crossings(tampered)
    assert ("fct_lead_cycles", "stg_salesforce__opportunity") not in boundary_crossings(manifest)
