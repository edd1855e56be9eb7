"""`lead-funnel run/check --engine spark` refuse bad set-ups with one clear message, exit
non-zero, and publish nothing; none of them needs a JVM but the failing session start."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import lead_funnel_cli

AS_OF = "2025-03-01 02:00:00"


@pytest.mark.parametrize("command", ["run", "check"])
def test_a_missing_warehouse_dir_is_named(tmp_path: Path, command: str) -> None:
    extra = ["--as-of", AS_OF] if command == "run" else []
    completed = lead_funnel_cli(command, "--engine", "spark", *extra, env=_env(tmp_path))
    assert completed.returncode == 2, completed.stderr
    assert "--engine spark needs --warehouse-dir DIR" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not list(tmp_path.rglob("*.duckdb"))  # no DuckDB file touched


def test_no_java_is_named_and_nothing_is_published(tmp_path: Path) -> None:
    env = {k: v for k, v in _env(tmp_path).items() if k != "JAVA_HOME"}
    env["PATH"] = str(Path(sys.executable).parent)  # the venv's tools, no java
    warehouse = tmp_path / "spark"
    completed = lead_funnel_cli(
        "run", "--engine", "spark", "--warehouse-dir", str(warehouse), "--as-of", AS_OF, env=env
    )
    assert completed.returncode == 2, completed.stderr
    assert "no Java found: the Spark engine needs Java 17 or 21" in completed.stderr
    assert "nothing was published" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (warehouse / "metastore_db").exists()
    assert not list(tmp_path.rglob("*.duckdb"))


@pytest.mark.spark
def test_a_session_that_does_not_start_is_named(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")
    env = _env(tmp_path)
    env["LEAD_FUNNEL_SPARK_MASTER"] = "no-such-master://nowhere"
    warehouse = tmp_path / "spark"
    completed = lead_funnel_cli(
        "run", "--engine", "spark", "--warehouse-dir", str(warehouse), "--as-of", AS_OF, env=env
    )
    assert completed.returncode == 2, completed.stderr
    assert "the Spark session did not start" in completed.stderr
    assert "LEAD_FUNNEL_SPARK_* settings" in completed.stderr
    assert "nothing was published" in completed.stderr
    assert not list(tmp_path.rglob("*.duckdb"))


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["LEAD_FUNNEL_DAGSTER_INSTANCE"] = "ephemeral"
    env["LEAD_FUNNEL_DATABASE"] = str(tmp_path / "never.duckdb")
    return env


def test_check_on_a_directory_without_a_catalog_is_named(tmp_path: Path) -> None:
    completed = lead_funnel_cli(
        "check", "--engine", "spark", "--warehouse-dir", str(tmp_path / "empty"), env=_env(tmp_path)
    )
    assert completed.returncode == 2, completed.stderr
    assert "holds no Spark catalog (metastore_db)" in completed.stderr
    assert "lead-funnel run --engine spark --warehouse-dir" in completed.stderr
    assert not (tmp_path / "empty").exists()  # nothing created
