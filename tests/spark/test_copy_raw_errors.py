"""`lead-funnel copy-raw` refuses bad input with one clear message before any Spark starts."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from tests.conftest import lead_funnel_cli


def test_a_missing_warehouse_dir_is_named(tmp_path: Path) -> None:
    completed = lead_funnel_cli(
        "copy-raw", "--database", str(tmp_path / "x.duckdb"), "--engine", "spark"
    )
    assert completed.returncode == 2
    assert "--engine spark needs --warehouse-dir DIR" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_file_without_raw_schemas_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "empty.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts; create table marts.t as select 1 as x")
    warehouse_dir = tmp_path / "spark"
    completed = lead_funnel_cli(
        "copy-raw", "--database", str(database), "--engine", "spark",
        "--warehouse-dir", str(warehouse_dir),
    )  # fmt: skip
    assert completed.returncode == 2
    assert "has no raw tables in raw_salesforce, raw_marketo" in completed.stderr
    assert not warehouse_dir.exists()  # nothing was written


def test_no_java_is_named(tmp_path: Path) -> None:
    database = tmp_path / "raw.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create schema raw_salesforce; create table raw_salesforce.lead as select 'a' as id"
        )
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)  # no java on it
    completed = lead_funnel_cli(
        "copy-raw", "--database", str(database), "--engine", "spark",
        "--warehouse-dir", str(tmp_path / "spark"), env=env,
    )  # fmt: skip
    assert completed.returncode == 2
    assert "no Java found: the Spark engine needs Java 17 or 21" in completed.stderr
