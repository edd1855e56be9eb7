"""The folded key tests: one `column_checks` node finds what dbt's per-column tests found,
and the project still makes every assertion it made before folding."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from lead_funnel.dbt_cli import run_dbt
from lead_funnel_tools.bench import assertion_inventory

ROWS = [
    ("C1", "webinar", "spread"),
    ("C1", "webinar", "no_dates"),  # campaign_id twice
    (None, "webinar", "spread"),  # no campaign_id
    ("C3", None, "guesswork"),  # no channel, a spend rule nobody defined
    ("C4", "email", None),  # no spend rule (null passes accepted_values)
    ("C5", "email", "no_actual_cost"),  # sound
]


def test_column_checks_returns_each_failing_row_and_value_once(tmp_path: Path) -> None:
    database = tmp_path / "check.duckdb"
    target = tmp_path / "target"
    run_dbt(
        ["compile", "--select", "int_campaign_spend,test_name:column_checks", "--quiet"],
        database=database,
        target_path=target,
    )
    manifest = json.loads((target / "manifest.json").read_text())
    (test,) = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["test_metadata"]["name"] == "column_checks"
        and node["attached_node"] == "model.lead_funnel.int_campaign_spend"
    ]
    compiled = test["compiled_code"]
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists intermediate")
        con.execute(
            "create table intermediate.int_campaign_spend"
            " (campaign_id varchar, channel varchar, spend_rule varchar)"
        )
        con.executemany("insert into intermediate.int_campaign_spend values (?, ?, ?)", ROWS)
        found = sorted(con.execute(compiled).fetchall(), key=str)
    assert found == sorted(
        [
            ("not_null", "campaign_id", None),
            ("not_null", "channel", None),
            ("not_null", "spend_rule", None),
            ("unique", "campaign_id", "C1"),
            ("accepted_values", "spend_rule", "guesswork"),
        ],
        key=str,
    )
    folded = {
        (kind, column)
        for model, kind, column, _values, _settings in assertion_inventory(manifest)
        if model == "model.lead_funnel.int_campaign_spend"
    }
    assert folded >= {
        ("not_null", "campaign_id"),
        ("unique", "campaign_id"),
        ("accepted_values", "spend_rule"),
    }
