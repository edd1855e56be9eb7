"""The folded key tests: one `column_checks` node finds what dbt's per-column tests found,
and the project still makes every assertion it made before folding."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from lead_funnel_tools.bench import assertion_inventory
from lead_funnel.dbt_cli import run_dbt

ROWS = [
    ("L1", "webinar", "mql", 0, "2025-01-02 10:00:00"),
    ("L1", "webinar", "sal", 1, "2025-01-02 10:00:00"),  # lead_id twice
    (None, "webinar", "lead", 0, "2025-01-03 10:00:00"),  # no lead_id
    ("L3", "webinar", "limbo", 0, None),  # a stage nobody defined, no created_at
    ("L4", "webinar", None, 0, "2025-01-04 10:00:00"),  # no stage (null passes accepted_values)
    ("L5", "email", "won", 2, "2025-01-05 10:00:00"),  # sound
]


def test_column_checks_returns_each_failing_row_and_value_once(tmp_path: Path) -> None:
    database = tmp_path / "check.duckdb"
    target = tmp_path / "target"
    run_dbt(
        ["compile", "--select", "dim_leads,test_name:column_checks", "--quiet"],
        database=database,
        target_path=target,
    )
    manifest = json.loads((target / "manifest.json").read_text())
    (test,) = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["test_metadata"]["name"] == "column_checks"
        and node["attached_node"] == "model.lead_funnel.dim_leads"
    ]
    compiled = test["compiled_code"]
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists marts")
        con.execute(
            "create table marts.dim_leads (lead_id varchar, channel varchar, current_stage varchar,"
            " cycle_count integer, created_at timestamp)"
        )
        con.executemany("insert into marts.dim_leads values (?, ?, ?, ?, ?)", ROWS)
        found = sorted(con.execute(compiled).fetchall(), key=str)
    assert found == sorted(
        [
            ("not_null", "lead_id", None),
            ("not_null", "current_stage", None),
            ("not_null", "created_at", None),
            ("unique", "lead_id", "L1"),
            ("accepted_values", "current_stage", "limbo"),
        ],
        key=str,
    )
    folded = {
        (kind, column)
        for model, kind, column, _values, _settings in assertion_inventory(manifest)
        if model == "model.lead_funnel.dim_leads"
    }
    assert folded >= {
        ("not_null", "lead_id"),
        ("unique", "lead_id"),
        ("accepted_values", "current_stage"),
    }
