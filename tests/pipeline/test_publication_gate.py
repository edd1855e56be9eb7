"""The data gate (issue 19): input that would replace good marts with wrong ones is refused with
one message naming the rule, its value, its threshold and the flag that overrides it; the
published marts (the serve file and marts.* in the warehouse) stay exactly as they were.

Every case runs on a copy of the session's generated warehouse (3,000 leads, published once).
"""

from __future__ import annotations

import getpass
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import as_of_text, lead_funnel_cli, query
from tests.pipeline.wap_support import table_checksums

pytestmark = pytest.mark.slow


@dataclass
class Copy:
    database: Path
    serve: Path
    as_of: str
    serve_marts: dict[str, tuple[int, int]]
    warehouse_marts: dict[str, tuple[int, int]]

    def assert_marts_unchanged(self) -> None:
        assert table_checksums(self.serve) == self.serve_marts
        assert table_checksums(self.database) == self.warehouse_marts


@pytest.fixture
def published_copy(generated_run, tmp_path: Path) -> Copy:  # type: ignore[no-untyped-def]
    source: Path = generated_run["database"]
    database = tmp_path / "warehouse.duckdb"
    serve = tmp_path / "warehouse.serve.duckdb"
    shutil.copy(source, database)
    shutil.copy(source.with_name(f"{source.stem}.serve.duckdb"), serve)
    last_as_of = query(database, "select max(as_of) from lead_funnel_meta.publications")[0][0]
    return Copy(
        database, serve, as_of_text(last_as_of), table_checksums(serve), table_checksums(database)
    )


def output_of(completed) -> str:  # type: ignore[no-untyped-def]
    return completed.stdout + completed.stderr


def assert_one_clean_failure_block(output: str) -> None:
    assert output.count("FAILED") == 1, output
    assert "Traceback" not in output
    assert "published (BI reads this" not in output
    assert "MQLs" not in output  # no old funnel before the failure
    assert "DagsterAssetCheckFailedError" not in output


def test_an_as_of_before_the_data_publishes_nothing(published_copy: Copy) -> None:
    """Case 1: `--as-of 2020-01-01` published empty marts over good ones."""
    completed = lead_funnel_cli(
        "run", "--database", str(published_copy.database), "--as-of", "2020-01-01 00:00:00"
    )

    output = output_of(completed)
    assert completed.returncode == 1, output[-3000:]
    assert_one_clean_failure_block(output)
    assert "the as-of 2020-01-01 00:00:00 lies 1,827." in output
    assert "days before the first lead (created 2025-01-01" in output
    assert "threshold 0 days" in output
    assert "--accept as_of_before_data" in output
    # the consequences are named once each, after the cause
    assert output.index("as_of_before_data") < output.index("quarantine_share")
    assert "contract marts would shrink by more than 50.0%" in output
    published_copy.assert_marts_unchanged()


def rename_status_picklist(database: Path) -> None:
    """A renamed picklist: every status value the seed maps gets a prefix."""
    with duckdb.connect(str(database)) as con:
        con.execute("update raw_salesforce.lead set status = 'SF ' || status")
        con.execute(
            "update raw_salesforce.lead_history set old_value = 'SF ' || old_value, "
            "new_value = 'SF ' || new_value where field = 'Status'"
        )


def test_a_renamed_status_picklist_blocks_until_accepted_and_the_acceptance_is_recorded(
    published_copy: Copy,
) -> None:
    """Case 2: every lead status unmapped ran to exit 0 and halved the funnel."""
    rename_status_picklist(published_copy.database)
    run = (
        "run",
        "--database",
        str(published_copy.database),
        "--as-of",
        published_copy.as_of,
        "--full-refresh",
        "--quiet",
    )

    refused = lead_funnel_cli(*run)

    output = output_of(refused)
    assert refused.returncode == 1, output[-3000:]
    assert_one_clean_failure_block(output)
    changes = query(
        published_copy.database, "select count(*) from intermediate.int_lead_status_changes"
    )[0][0]
    assert (
        f"{changes:,} of {changes:,} status changes (100.0%) carry a status value "
        "seeds/lead_status_map.csv does not map (threshold 20.0%)"
    ) in output
    assert "'SF Open - Not Contacted'" in output
    assert "--accept unmapped_share" in output
    published_copy.assert_marts_unchanged()

    accepted = lead_funnel_cli(*run, "--accept", "unmapped_share", "--accept", "mart_shrink")

    assert accepted.returncode == 0, output_of(accepted)[-3000:]
    assert "gate warning unmapped_share (status)" in accepted.stdout
    assert table_checksums(published_copy.serve) != published_copy.serve_marts
    recorded = query(
        published_copy.database,
        "select rule, subject, accepted_by, value from lead_funnel_meta.gate_acceptances "
        "order by rule, subject",
    )
    rules = {(rule, subject) for rule, subject, _, _ in recorded}
    assert ("unmapped_share", "status") in rules
    assert all(who.startswith(getpass.getuser() + "@") for _, _, who, _ in recorded)
    assert [value for rule, subject, _, value in recorded if subject == "status"] == [1.0]


def test_a_source_the_last_publication_had_is_missing_and_the_message_says_where_it_is(
    published_copy: Copy,
) -> None:
    """Case 4: `--salesforce-schema sfdc` without `--marketo-schema` ran without Marketo."""
    with duckdb.connect(str(published_copy.database)) as con:
        for old, new in (("raw_salesforce", "sfdc"), ("raw_marketo", "marketo")):
            con.execute(f"create schema {new}")
            for (table,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ?", [old]
            ).fetchall():
                con.execute(f'create table {new}."{table}" as select * from {old}."{table}"')
            con.execute(f"drop schema {old} cascade")
        marketo_rows = con.execute(
            "select raw_rows from lead_funnel_meta.published_sources where source_name = 'marketo' "
            "and run_id = (select run_id from lead_funnel_meta.publications "
            "order by published_at desc limit 1)"
        ).fetchone()[0]

    completed = lead_funnel_cli(
        "run",
        "--database",
        str(published_copy.database),
        "--as-of",
        published_copy.as_of,
        "--salesforce-schema",
        "sfdc",
        "--quiet",
    )

    output = output_of(completed)
    assert completed.returncode == 1, output[-3000:]
    assert_one_clean_failure_block(output)
    assert (
        f"Marketo is missing: the last publication read {marketo_rows:,} raw rows from "
        "raw_marketo, this run found none in raw_marketo; schema marketo holds 10 "
        "Marketo-named tables (such as activity_fill_out_form): add --marketo-schema marketo"
    ) in output
    assert "--accept source_missing" in output
    # judged before dbt: nothing was built
    assert "dbt node" not in output
    published_copy.assert_marts_unchanged()
