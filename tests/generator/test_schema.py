"""The generated file holds exactly the raw tables and typed columns the sources yml declares."""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel_tools.generator import generate

SOURCES = {
    "raw_salesforce": DBT_PROJECT_DIR / "models/staging/salesforce/_salesforce__sources.yml",
    "raw_marketo": DBT_PROJECT_DIR / "models/staging/marketo/_marketo__sources.yml",
}


def _declared() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Read the yml independently of the generator: (schema, table) -> [(column, TYPE)]."""
    out = {}
    for schema, path in SOURCES.items():
        for table in yaml.safe_load(path.read_text())["sources"][0]["tables"]:
            out[(schema, table["name"])] = [
                (c["name"], c["data_type"].upper()) for c in table["columns"]
            ]
    return out


def test_tables_columns_and_types_match_the_sources_yml(realism_con) -> None:
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    rows = realism_con.execute(
        """
        SELECT table_schema, table_name, column_name, data_type
        FROM information_schema.columns
        WHERE table_schema IN ('raw_salesforce', 'raw_marketo')
        ORDER BY table_schema, table_name, ordinal_position
        """
    ).fetchall()
    for schema, table, column, data_type in rows:
        found.setdefault((schema, table), []).append((column, data_type.upper()))
    assert found == _declared()


def test_every_raw_table_has_rows(realism_con) -> None:
    for schema, table in _declared():
        count = realism_con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
        assert count > 0, f"{schema}.{table} is empty"


def test_generate_leaves_other_schemas_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.keep AS SELECT 1 AS x")
    con.execute("CREATE SCHEMA raw_marketo")
    con.execute("CREATE TABLE raw_marketo.stale AS SELECT 1 AS x")
    con.close()
    # raw schemas it did not write are replaced only when forced (issue 19, case 5);
    # every other schema stays as it was either way
    generate(path, leads=1_000, progress=False, force=True)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT x FROM marts.keep").fetchone() == (1,)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw_marketo'"
    ).fetchall()}  # fmt: skip
    assert "stale" not in tables
    con.close()


def test_timestamps_are_naive_utc_inside_the_window(realism_con) -> None:
    lo, hi = realism_con.execute(
        "SELECT min(created_date), max(_fivetran_synced) FROM raw_salesforce.lead"
    ).fetchone()
    assert str(lo) >= "2025-01-01"
    assert str(hi) <= "2026-01-01 00:00:00"
