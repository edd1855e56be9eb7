"""Clean failures (issue 19): one FAILED block with the cause once and what to do, nothing
published or half published; a killed run neither leaves dbt holding the file nor lets the
serve file and the warehouse disagree.

The runs use a copy of the hand-built scenario's published warehouse (the session's
`handbuilt_run`): the mechanics, not the data, are under test here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from lead_funnel.faults import ACTION_ENV, FAULT_ENV, MARKER_ENV
from tests.conftest import lead_funnel_cli, query
from tests.pipeline.test_write_audit_publish import copy_project
from tests.pipeline.wap_support import add_a_new_handoff, kill_run_at, table_checksums

pytestmark = pytest.mark.slow

NEXT_AS_OF = "2025-05-02 02:00:00"


@pytest.fixture
def published(handbuilt_run, tmp_path: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    assert handbuilt_run["completed"].returncode == 0, handbuilt_run["completed"].stderr[-3000:]
    database = tmp_path / "warehouse.duckdb"
    serve = tmp_path / "warehouse.serve.duckdb"
    shutil.copy(handbuilt_run["database"], database)
    shutil.copy(handbuilt_run["serve"], serve)
    return {"directory": tmp_path, "database": database, "serve": serve}


def assert_one_failed_block_without_traceback(output: str) -> None:
    assert output.count("FAILED") == 1, output
    assert "Traceback" not in output
    assert "published (BI reads this" not in output


def test_a_full_disk_gets_its_own_sentence_and_publishes_nothing(published) -> None:  # type: ignore[no-untyped-def]
    before = table_checksums(published["serve"]), table_checksums(published["database"])
    add_a_new_handoff(published["database"])
    env = {**os.environ, FAULT_ENV: "dbt", ACTION_ENV: "disk_full"}  # a write fails mid-build

    completed = lead_funnel_cli(
        "run", "--database", str(published["database"]), "--as-of", NEXT_AS_OF, env=env
    )

    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output[-3000:]
    assert_one_failed_block_without_traceback(output)
    assert f"the disk holding {published['directory']} is full (" in output
    assert "free some space" in output
    assert "No space left on device" not in output  # the cause once, in words
    assert (table_checksums(published["serve"]), table_checksums(published["database"])) == before


def test_a_held_lock_names_the_process_that_holds_it(published) -> None:  # type: ignore[no-untyped-def]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(published['database'])!r}); "
            "print('open', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        completed = lead_funnel_cli(
            "run", "--database", str(published["database"]), "--as-of", NEXT_AS_OF
        )
    finally:
        holder.kill()
        holder.wait()

    output = completed.stdout + completed.stderr
    assert completed.returncode == 2, output[-3000:]
    assert_one_failed_block_without_traceback(output)
    assert (
        f"is in use (DuckDB allows one writer per file): process {holder.pid} (python -c" in output
    )
    assert "point it at the published serve file" in output
    assert "--verbose" not in output  # the sentence is the whole story

    verbose = lead_funnel_cli(
        "run", "--database", "/dev/null/missing.duckdb", "--as-of", NEXT_AS_OF, "--verbose"
    )
    assert "Traceback" in verbose.stderr  # only with --verbose


def test_an_unreadable_file_gets_its_own_sentence(tmp_path: Path) -> None:
    database = tmp_path / "export.duckdb"
    database.write_bytes(b"not a duckdb file\n" * 200)

    completed = lead_funnel_cli("run", "--database", str(database), "--as-of", NEXT_AS_OF)

    output = completed.stdout + completed.stderr
    assert completed.returncode == 2
    assert_one_failed_block_without_traceback(output)
    assert f"{database} cannot be opened: it is not a DuckDB database file." in output


def test_check_on_a_warehouse_without_marts_fails(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    database = tmp_path / "raw-only.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw_salesforce")
        con.execute("create table raw_salesforce.lead (id varchar)")

    completed = lead_funnel_cli("check", "--database", str(database))

    assert completed.returncode == 2
    assert (
        f"lead-funnel check FAILED: {database} holds no marts (schema marts has no tables)"
        in completed.stderr
    )
    assert "passed" not in completed.stdout
    # on published marts it still passes
    ok = lead_funnel_cli("check", "--database", str(published["database"]))
    assert ok.returncode == 0, ok.stdout[-2000:] + ok.stderr[-2000:]


def test_a_seed_typo_fails_at_once_naming_the_file_row_and_value(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "project")
    status_map = project / "seeds" / "lead_status_map.csv"
    status_map.write_text(status_map.read_text().replace("MQL,mql,", "MQL,mqll,"))
    before = table_checksums(published["serve"])

    started = time.perf_counter()
    completed = lead_funnel_cli(
        "run",
        "--database",
        str(published["database"]),
        "--as-of",
        NEXT_AS_OF,
        env={**os.environ, "LEAD_FUNNEL_REPO_ROOT": str(project)},
    )
    seconds = time.perf_counter() - started

    output = completed.stdout + completed.stderr
    assert completed.returncode == 2, output[-3000:]
    assert_one_failed_block_without_traceback(output)
    stages = project / "seeds" / "stages.csv"
    assert f"{status_map}, line 5, column stage: 'mqll' is not a stage in {stages}" in output
    assert "dbt" not in output  # refused before dbt started
    assert table_checksums(published["serve"]) == before
    print(f"seed typo refused after {seconds:.1f}s")


def _children(pid: int) -> list[int]:
    """The child processes of pid; a thread or a child that ends while it is read is skipped
    (dbt's threads come and go, and under load the race is won often)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""  # ended meanwhile


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_run_takes_its_dbt_build_with_it(published) -> None:  # type: ignore[no-untyped-def]
    """Kill the `lead-funnel run` process alone (not its group): dbt must not run on."""
    leads = query(published["database"], "select count(*) from raw_salesforce.lead")[0][0]
    marker = published["directory"] / "reached-dbt"
    env = {**os.environ, FAULT_ENV: "dbt", MARKER_ENV: str(marker)}
    env.pop(ACTION_ENV, None)
    log = (published["directory"] / "run.log").open("w")
    run = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("lead-funnel")),
            "run",
            "--database",
            str(published["database"]),
            "--as-of",
            NEXT_AS_OF,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        # the marker holds "<phase> <pid>" once written (it exists, empty, a moment before)
        while not marker.exists() or len(marker.read_text().split()) < 2:
            assert run.poll() is None, (published["directory"] / "run.log").read_text()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.1)
        # the build runs in the run's own process (orchestration/dbt_inprocess.py): the
        # checkpoint inside it wrote that pid; a dbt subprocess, if one is used, is named too
        building_pid = int(marker.read_text().split()[1])
        dbt = [child for child in _children(run.pid) if "dbt" in _command_line(child)]
        assert building_pid == run.pid or building_pid in dbt, (building_pid, run.pid, dbt)
        dbt.append(building_pid)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in dbt) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in dbt), "dbt outlived the run that started it"
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        log.close()
    # the file lock is free within seconds (a dbt build running on held it ~40 s): the next
    # writer opens it
    deadline = time.monotonic() + 10
    while True:
        try:
            con = duckdb.connect(str(published["database"]))
            break
        except duckdb.IOException:
            assert time.monotonic() < deadline, "the warehouse is still locked 10 s after the kill"
            time.sleep(0.2)
    with con:
        assert con.execute("select count(*) from raw_salesforce.lead").fetchone()[0] == leads


def test_a_run_killed_before_the_rename_is_rolled_forward_on_the_next_start(published) -> None:  # type: ignore[no-untyped-def]
    add_a_new_handoff(published["database"])
    old_serve = table_checksums(published["serve"])

    kill_run_at(
        "publish:before_rename", published["database"], _dt(NEXT_AS_OF), published["directory"]
    )

    # the state a kill leaves: the warehouse committed the new run, the serve file is the old one
    warehouse = table_checksums(published["database"])
    assert table_checksums(published["serve"]) == old_serve != warehouse
    killed_run = query(
        published["database"],
        "select run_id from lead_funnel_meta.publications order by published_at desc limit 1",
    )[0][0]
    assert any(".publishing" in p.name for p in published["directory"].iterdir())

    # the next start first makes the two agree, even one that fails before building
    # anything (here: a schema flag naming no schema)
    completed = lead_funnel_cli(
        "run",
        "--database",
        str(published["database"]),
        "--as-of",
        NEXT_AS_OF,
        "--salesforce-schema",
        "nosuch",
    )

    assert completed.returncode == 1, completed.stderr[-3000:]
    assert "has no table nosuch.lead" in completed.stderr
    assert "rolled the serve file forward to run " + killed_run in completed.stderr
    assert (
        table_checksums(published["serve"]) == warehouse == table_checksums(published["database"])
    )
    assert query(published["serve"], "select run_id from lead_funnel_meta.publication") == [
        (killed_run,)
    ]
    assert not any(".publishing" in p.name for p in published["directory"].iterdir())


def _dt(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(text)
