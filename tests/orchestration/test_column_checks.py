"""The folded tests: one `column_checks` (or `raw_checks`) node finds what dbt's
per-assertion tests found, naming rule and column, and the project still makes every
assertion it made before folding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel.manifest import ensure_manifest
from lead_funnel_tools.bench import assertion_inventory

# assertion_inventory of the project's manifest at 681b710, before value_between,
# relationships, unique_combination, expression_is_true, the seeds', staging's and the raw
# tables' tests were folded (one row per assertion: node, rule, column, detail, config)
BEFORE_FOLDING = Path(__file__).parent / "fixtures" / "assertions_before_folding.json"

CAMPAIGN_SPEND = [
    ("C1", "webinar", "spread"),
    ("C1", "webinar", "no_dates"),  # campaign_id twice
    (None, "webinar", "spread"),  # no campaign_id
    ("C3", None, "guesswork"),  # no channel, a spend rule nobody defined
    ("C4", "email", None),  # no spend rule (null passes accepted_values)
    ("C5", "email", "no_actual_cost"),  # sound
]
# cycle_id, lead_id, milestone, touch_id, touch_type, channel, model, credit
TOUCHES = [
    ("K1", "L1", "mql", "T1", "lead_created", "webinar", "linear", 0.5),  # sound
    ("K1", "L1", "mql", "T1", "lead_created", "webinar", "linear", 0.5),  # the same key twice
    ("K9", "L1", "mql", "T2", "lead_created", "webinar", "linear", 1.5),  # no such cycle, > 1
    ("K1", "L1", "mql", "T3", "lead_created", "tv", "linear", -0.0),  # no such channel
    ("K1", "L1", "mql", "T4", "lead_created", "email", "linear", None),  # credit null
]
# cohort_month, channel, rejection_reason, rejections, rejected, disqualified, share, fix
REJECTIONS = [
    ("2025-01-01", "email", "no_response", 2, 1, 1, 0.5, "nurture"),  # sound
    ("2025-01-01", "email", "competitor", 3, 1, 1, 0.5, "exclude"),  # 3 != 1 + 1
]


def _relation(manifest: dict[str, Any], unique_id: str) -> str:
    node = manifest["nodes"][unique_id]
    return f"{node['schema']}.{node['alias']}"


def _folded_test(manifest: dict[str, Any], attached: str) -> dict[str, Any]:
    (test,) = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["test_metadata"]["name"] in ("column_checks", "raw_checks")
        and (node.get("attached_node") or node["depends_on"]["nodes"][0]) == attached
    ]
    return test


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One `dbt compile` of the folded tests, on a file where the lead table has landed
    (with a null id) and lead_history has not."""
    directory = tmp_path_factory.mktemp("column_checks")
    database = directory / "check.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw_salesforce")
        con.execute("create table raw_salesforce.lead (id varchar, status varchar)")
        con.execute("insert into raw_salesforce.lead values ('00Q1', 'MQL'), (null, 'MQL')")
    target = directory / "target"
    run_dbt(
        [
            "compile",
            "--select",
            "int_campaign_spend,test_name:column_checks",
            "fct_attribution_touches,test_name:column_checks",
            "fct_rejection_reasons,test_name:column_checks",
            "test_name:raw_checks,source:salesforce.lead",
            "test_name:raw_checks,source:salesforce.lead_history",
            "--quiet",
        ],
        database=database,
        target_path=target,
    )
    return database, json.loads((target / "manifest.json").read_text())


def _found(database: Path, sql: str, tables: dict[str, tuple[str, list[tuple]]]) -> list[tuple]:
    with duckdb.connect(str(database)) as con:
        for relation, (columns, rows) in tables.items():
            schema = relation.split(".")[0]
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create or replace table {relation} ({columns})")
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"insert into {relation} values ({marks})", rows)
        return sorted(con.execute(sql).fetchall(), key=str)


def test_key_checks_return_each_failing_row_and_value_once(compiled) -> None:  # type: ignore[no-untyped-def]
    database, manifest = compiled
    model = "model.lead_funnel.int_campaign_spend"
    found = _found(
        database,
        _folded_test(manifest, model)["compiled_code"],
        {
            _relation(manifest, "seed.lead_funnel.channels"): (
                "channel varchar",
                [("webinar",), ("email",)],
            ),
            _relation(manifest, model): (
                "campaign_id varchar, channel varchar, spend_rule varchar",
                CAMPAIGN_SPEND,
            ),
        },
    )
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


def test_folded_ranges_relationships_grains_and_expressions_name_rule_and_column(compiled) -> None:  # type: ignore[no-untyped-def]
    database, manifest = compiled
    touches = "model.lead_funnel.fct_attribution_touches"
    found = _found(
        database,
        _folded_test(manifest, touches)["compiled_code"],
        {
            _relation(manifest, "model.lead_funnel.fct_lead_cycles"): (
                "cycle_id varchar",
                [("K1",)],
            ),
            _relation(manifest, "seed.lead_funnel.channels"): (
                "channel varchar",
                [("webinar",), ("email",)],
            ),
            _relation(manifest, touches): (
                "cycle_id varchar, lead_id varchar, milestone varchar, touch_id varchar,"
                " touch_type varchar, channel varchar, model varchar, credit double",
                TOUCHES,
            ),
        },
    )
    assert found == sorted(
        [
            ("not_null", "credit", None),
            ("relationships", "cycle_id -> fct_lead_cycles.cycle_id", "K9"),
            ("relationships", "channel -> channels.channel", "tv"),
            ("value_between", "credit", "1.5"),
            ("unique_combination", "cycle_id, milestone, touch_id, model", "K1, mql, T1, linear"),
        ],
        key=str,
    )
    rejections = "model.lead_funnel.fct_rejection_reasons"
    found = _found(
        database,
        _folded_test(manifest, rejections)["compiled_code"],
        {
            _relation(manifest, rejections): (
                "cohort_month date, channel varchar, rejection_reason varchar, rejections int,"
                " rejected int, disqualified int, share_of_rejections double, marketing_fix varchar",
                REJECTIONS,
            )
        },
    )
    assert [(rule, column) for rule, column, _value in found] == [
        (
            "expression_is_true",
            "rejections = rejected + disqualified and share_of_rejections > 0"
            " and share_of_rejections <= 1",
        )
    ]


def test_raw_checks_report_a_table_not_landed_and_null_keys_where_landed(compiled) -> None:  # type: ignore[no-untyped-def]
    database, manifest = compiled
    with duckdb.connect(str(database)) as con:
        landed = con.execute(
            _folded_test(manifest, "source.lead_funnel.salesforce.lead")["compiled_code"]
        ).fetchall()
        missing = con.execute(
            _folded_test(manifest, "source.lead_funnel.salesforce.lead_history")["compiled_code"]
        ).fetchall()
    assert landed == [("not_null_where_landed", "id")]
    assert missing == [("raw_table_landed", "lead_history")]
    folded = _folded_test(manifest, "source.lead_funnel.salesforce.lead")
    assert folded["config"]["severity"].lower() == "warn"


def test_every_assertion_made_before_folding_is_still_made() -> None:
    """The project's manifest (the one Dagster loads) against the inventory before folding."""
    manifest = json.loads(ensure_manifest().read_text())
    before = {tuple(row) for row in json.loads(BEFORE_FOLDING.read_text())}
    after = assertion_inventory(manifest)
    assert len(after) == len(set(after))
    missing = sorted(before - set(after))
    assert not missing, f"{len(missing)} assertions no longer made, e.g. {missing[:5]}"
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    # 339 test nodes made these 538 assertions before folding; 195 after (scoring's ymls not
    # folded yet), with some room for tests added since
    assert len(before) == 538
    assert len(tests) <= 220


def test_a_failed_fold_names_each_failed_rule_and_column_in_the_step_failure(
    compiled, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from dagster import Failure

    from orchestration.dbt_build import raise_for_failed_nodes

    database, manifest = compiled
    test = _folded_test(manifest, "model.lead_funnel.int_campaign_spend")
    result = {
        "unique_id": test["unique_id"],
        "status": "fail",
        "message": "Got 5 results, configured to fail if != 0",
        "compiled_code": test["compiled_code"],
    }
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": [result]}))
    _found(  # the relations as the first test left them (its failing rows)
        database,
        "select 1",
        {
            _relation(manifest, "seed.lead_funnel.channels"): ("channel varchar", [("email",)]),
            _relation(manifest, "model.lead_funnel.int_campaign_spend"): (
                "campaign_id varchar, channel varchar, spend_rule varchar",
                CAMPAIGN_SPEND,
            ),
        },
    )
    with pytest.raises(Failure) as failure:
        raise_for_failed_nodes(run_results, tmp_path / "dbt.log", database)
    message = str(failure.value.description)
    assert "column_checks_int_campaign_spend" in message
    assert "fail Got 5 results, configured to fail if != 0 [" in message
    assert "not_null on campaign_id: 1 row(s)" in message
    assert "unique on campaign_id: 1 row(s)" in message
    assert "accepted_values on spend_rule: 1 row(s)" in message
    assert "not_null on channel: 1 row(s)" in message
    # the three webinar rows: channels holds only email here
    assert "relationships on channel -> channels.channel: 3 row(s)" in message
