"""Input that cannot be used stops the run before anything is built, with a message that says
what is missing and where to look (contract section 5), and publishes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from lead_funnel_tools.raw_writer import write_raw_tables
from tests.conftest import lead_funnel_cli, query

pytestmark = pytest.mark.slow

AS_OF = "2025-06-01 02:00:00"


def test_a_file_without_the_crm_leads_is_refused_and_nothing_is_published(tmp_path: Path) -> None:
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()

    completed = lead_funnel_cli("run", "--database", str(database), "--as-of", AS_OF)

    assert completed.returncode == 1
    assert "has no table raw_salesforce.lead" in completed.stderr
    assert "(schemas in the file: none)" in completed.stderr
    assert not (tmp_path / "empty.serve.duckdb").exists()
    assert query(database, "select count(*) from duckdb_schemas() where schema_name = 'marts'") == [
        (0,)
    ]


def test_a_wrong_salesforce_schema_name_is_refused_naming_the_schemas_there(
    tmp_path: Path,
) -> None:
    from tests.scenarios.handbuilt import build_rows

    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, build_rows())

    completed = lead_funnel_cli(
        "run", "--database", str(database), "--as-of", AS_OF, "--salesforce-schema", "sfdc"
    )

    assert completed.returncode == 1
    assert "has no table sfdc.lead" in completed.stderr
    assert "(schemas in the file: raw_marketo, raw_salesforce)" in completed.stderr
    assert not (tmp_path / "warehouse.serve.duckdb").exists()
