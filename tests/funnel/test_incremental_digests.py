"""The incremental mechanism derives what it digests (macros/incremental/bucketed_incremental.sql).

Nobody lists columns or remembers `--full-refresh`: on a copy of the dbt project, run
against the hand-built scenario, an incremental (not full-refresh) run of
int_lead_status_changes

* rebuilds nothing when nothing changed (the control for the tests below);
* rebuilds every row after its SQL is edited, with the new expression's values;
* rebuilds every row after a macro it reaches only through another macro is edited;
* changes every bucket's digest, and rebuilds the rows, when a column is added to one
  of its inputs.

The tests run in order on one warehouse; each starts from the state the last one left.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel_tools.raw_writer import write_raw_tables
from tests.scenarios.handbuilt import AS_OF, build_rows

MODEL = "intermediate.int_lead_status_changes"
MODEL_FILE = Path("models/intermediate/funnel/int_lead_status_changes.sql")


class Project:
    """A copy of the dbt project and seeds, with its own warehouse and target."""

    def __init__(self, root: Path) -> None:
        self.directory = root / "dbt_project"
        shutil.copytree(
            DBT_PROJECT_DIR, self.directory, ignore=shutil.ignore_patterns("target", "logs")
        )
        shutil.copytree(DBT_PROJECT_DIR.parent / "seeds", root / "seeds")
        self.database = root / "warehouse.duckdb"
        self.target = root / "dbt-target"

    def edit(self, path: Path, old: str, new: str) -> None:
        file = self.directory / path
        text = file.read_text()
        assert text.count(old) == 1, f"{old!r} is not once in {path}"
        file.write_text(text.replace(old, new))

    def run(self, *select: str) -> None:
        run_dbt(
            ["run", "--project-dir", str(self.directory), "--select", *select],
            database=self.database,
            as_of=AS_OF,
            target_path=self.target,
        )

    def stored(self) -> dict[str, tuple]:
        """Every row by status_change_id: (row id, bucket digest, the row's own columns)."""
        with duckdb.connect(str(self.database), read_only=True) as con:
            rows = con.execute(
                f"select rowid, _bucket_digest, * exclude (_bucket, _bucket_digest) from {MODEL}"
            ).fetchall()
            names = [column[0] for column in con.description][2:]
        key = names.index("status_change_id")
        return {row[2 + key]: (row[0], row[1], row[2:]) for row in rows}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("incremental-digests"))
    with duckdb.connect(str(project.database)) as con:
        write_raw_tables(con, build_rows())
    run_dbt(
        [
            "build",
            "--project-dir",
            str(project.directory),
            "--select",
            f"+{MODEL.split('.')[1]}",
            "--exclude-resource-type",
            "test",
            "unit_test",
        ],
        database=project.database,
        as_of=AS_OF,
        target_path=project.target,
    )
    return project


def _every_row_rebuilt(before: dict[str, tuple], after: dict[str, tuple]) -> None:
    assert after, "the model has rows"
    assert {row[0] for row in after.values()}.isdisjoint(row[0] for row in before.values())
    assert {row[1] for row in after.values()}.isdisjoint(row[1] for row in before.values())


def _columns(stored: dict[str, tuple]) -> dict[str, tuple]:
    """The model's own columns of every row (no row id, no digest)."""
    return {key: row[2] for key, row in stored.items()}


def test_nothing_changed_rebuilds_nothing(project: Project) -> None:
    before = project.stored()
    project.run("int_lead_status_changes")
    assert project.stored() == before


def test_editing_the_models_sql_rebuilds_its_rows(project: Project) -> None:
    before = project.stored()
    project.edit(
        MODEL_FILE,
        "'initial:' || leads.lead_id as status_change_id",
        "'first:' || leads.lead_id as status_change_id",
    )
    project.run("int_lead_status_changes")
    after = project.stored()
    _every_row_rebuilt(before, after)
    renamed = {key.replace("initial:", "first:", 1) for key in before}
    assert set(after) == renamed
    initial_rows = [key for key in after if key.startswith("first:")]
    assert len(initial_rows) == len([key for key in before if key.startswith("initial:")]) > 0
    # but for the new id, every column of every row is what it was
    for key, row in before.items():
        new_key = key.replace("initial:", "first:", 1)
        assert [value if value != key else new_key for value in row[2]] == list(after[new_key][2])


def test_editing_a_macro_it_reaches_through_another_rebuilds_its_rows(project: Project) -> None:
    """The model calls picklist_key, which calls clean_text: edit clean_text (a no-op comment)."""
    before = project.stored()
    project.edit(
        Path("macros/text_cleaning.sql"),
        "{% macro clean_text(column) -%}",
        "{% macro clean_text(column) -%}\n    /* edited */",
    )
    project.run("int_lead_status_changes")
    after = project.stored()
    _every_row_rebuilt(before, after)
    assert _columns(after) == _columns(before)


def test_adding_a_column_to_an_input_changes_the_digest(project: Project) -> None:
    before = project.stored()
    project.edit(
        Path("models/intermediate/canonical/int_crm__leads.sql"),
        "        annual_revenue,\n",
        "        annual_revenue,\n        'gold' as loyalty_tier,\n",
    )
    # int_crm__leads is the model's input (the canonical leads); a view: run it to change it
    project.run("int_crm__leads", "int_lead_status_changes")
    after = project.stored()
    _every_row_rebuilt(before, after)
    assert _columns(after) == _columns(before)
    # the digests are computed by the model's pre-hook (its statements are in dbt's log)
    digest_statements = [
        statement
        for statement in (project.target / "logs" / "dbt.log").read_text().split("create table")
        if "int_lead_status_changes__bucket_digests" in statement.split(" as", 1)[0]
    ]
    assert digest_statements, "the pre-hook stored the digests"
    assert '"loyalty_tier"' in digest_statements[-1], "the new column is hashed with the others"
