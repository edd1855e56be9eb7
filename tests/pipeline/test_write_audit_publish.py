"""Write-audit-publish (issue 6): a killed run never changes the publication, a reader is never
blocked and only ever sees whole snapshots, and a failed audit keeps the previous publication."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from lead_funnel.faults import PHASES
from lead_funnel_tools.raw_writer import write_raw_tables
from tests.conftest import REPO_ROOT
from tests.pipeline.wap_support import add_a_new_handoff, kill_run_at, run_command, table_checksums
from tests.scenarios.handbuilt import build_rows

pytestmark = pytest.mark.slow

FIRST_AS_OF = datetime(2025, 5, 1, 2, 0)
SECOND_AS_OF = datetime(2025, 5, 2, 2, 0)


def run_ok(database: Path, as_of: datetime) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        run_command(database, as_of), capture_output=True, text=True, timeout=900
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A warehouse with one successful publication, then new raw data waiting for the next run."""
    directory = tmp_path_factory.mktemp("wap")
    database = directory / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, build_rows())
    run_ok(database, FIRST_AS_OF)
    serve = directory / "warehouse.serve.duckdb"
    first = table_checksums(serve)
    add_a_new_handoff(database)
    return {"directory": directory, "database": database, "serve": serve, "first": first}


@pytest.mark.parametrize("phase", PHASES)
def test_a_run_killed_at_any_phase_leaves_the_publication_as_it_was(phase: str, published) -> None:  # type: ignore[no-untyped-def]
    reached = kill_run_at(phase, published["database"], SECOND_AS_OF, published["directory"])
    assert reached.startswith(phase)
    assert table_checksums(published["serve"]) == published["first"]
    # the warehouse file is usable: it opens (replaying its WAL) and answers
    with duckdb.connect(str(published["database"])) as con:
        landed = len(build_rows()[("salesforce", "lead")]) + 1  # + add_a_new_handoff's lead
        assert con.execute("select count(*) from raw_salesforce.lead").fetchone()[0] == landed


def test_the_next_run_publishes_cleans_up_and_is_idempotent(published) -> None:  # type: ignore[no-untyped-def]
    run_ok(published["database"], SECOND_AS_OF)
    second = table_checksums(published["serve"])
    assert second != published["first"]
    assert second["marts.fct_lead_cycles"][0] == published["first"]["marts.fct_lead_cycles"][0] + 1
    leftovers = [p.name for p in published["directory"].iterdir() if ".publishing" in p.name]
    assert leftovers == []
    # the contract: after a successful run marts.* in the warehouse hold the same results
    warehouse_marts = table_checksums(published["database"])
    assert warehouse_marts == second
    # same input, same as-of: nothing changes
    run_ok(published["database"], SECOND_AS_OF)
    assert table_checksums(published["serve"]) == second


def test_a_reader_is_never_blocked_and_sees_whole_snapshots(published) -> None:  # type: ignore[no-untyped-def]
    """A BI session holds the published file open (read-only) through a whole refresh."""
    serve = published["serve"]
    before = table_checksums(serve)
    expected_cycles = before["marts.fct_lead_cycles"][0]
    observed: list[tuple[int, int]] = []
    stop = threading.Event()
    reader = duckdb.connect(str(serve), read_only=True)

    def keep_reading() -> None:
        while not stop.is_set():
            cycles = reader.execute("select count(*) from marts.fct_lead_cycles").fetchone()[0]
            leads = reader.execute("select count(*) from marts.dim_leads").fetchone()[0]
            observed.append((cycles, leads))
            time.sleep(0.05)

    thread = threading.Thread(target=keep_reading)
    thread.start()
    try:
        add_a_new_handoff_second(published["database"])
        run_ok(published["database"], datetime(2025, 5, 3, 2, 0))
    finally:
        stop.set()
        thread.join()
    # the open session kept its snapshot throughout
    assert observed and set(observed) == {(expected_cycles, before["marts.dim_leads"][0])}
    reader.close()
    # a new connection sees the new publication
    after = table_checksums(serve)
    assert after["marts.fct_lead_cycles"][0] == expected_cycles + 1


def add_a_new_handoff_second(database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        con.execute(
            "insert into raw_salesforce.lead select * replace ('00QL21' as id) "
            "from raw_salesforce.lead where id = '00QL20'"
        )
        con.execute(
            "insert into raw_salesforce.lead_history select * replace ('017H0901' as id, '00QL21' as lead_id) "
            "from raw_salesforce.lead_history where id = '017H0900'"
        )


def copy_project(destination: Path) -> Path:
    """The dbt project and seeds, as an analytics engineer's working copy (no build artifacts)."""
    for folder in ("dbt_project", "seeds"):
        shutil.copytree(
            REPO_ROOT / folder,
            destination / folder,
            ignore=shutil.ignore_patterns("target", "logs"),
        )
    return destination


def test_a_failed_audit_keeps_the_previous_publication(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An analytics engineer sets the sales-review SLA to 0 working hours: breaches become due
    the moment they start, the blocking invariant catches it, nothing is published."""
    project = copy_project(tmp_path / "project")
    policies = project / "seeds" / "sla_policies.csv"
    policies.write_text(
        policies.read_text().replace(
            "sal_review,manual,mql_at,sales_decision,8,",
            "sal_review,manual,mql_at,sales_decision,0,",
        )
    )
    database = tmp_path / "warehouse.duckdb"
    shutil.copy(published["database"], database)
    shutil.copy(published["serve"], tmp_path / "warehouse.serve.duckdb")
    before = table_checksums(tmp_path / "warehouse.serve.duckdb")
    warehouse_before = table_checksums(database)

    completed = subprocess.run(
        run_command(database, datetime(2025, 5, 4, 2, 0)),
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "LEAD_FUNNEL_REPO_ROOT": str(project)},
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output[-3000:]
    assert table_checksums(tmp_path / "warehouse.serve.duckdb") == before
    assert table_checksums(database) == warehouse_before
    # the summary names the rule and where its failing rows are kept
    assert "FAILED" in output and "sla_breaches_are_due_after_they_start" in output
    assert "audit.failed_sla_breaches_are_due_after_they_start" in output
    with duckdb.connect(str(database), read_only=True) as con:
        kept = con.execute(
            "select cycle_id from audit.failed_sla_breaches_are_due_after_they_start order by 1"
        ).fetchall()
    # L08 handed off at 09:00 EST exactly (a working minute): due at the same instant
    assert ("00QL08-1",) in kept
