"""The nightly `dbt build`, run as a plain subprocess and reported to Dagster from run_results.json.

dagster-dbt's streaming path makes dbt log every event as JSON and echoes each one to the
parent's stdout; for the whole-project nightly build that costs about a third of dbt's run
time and floods the run summary. So the full build runs dbt with text logs (progress lines
go to the run log and a one-line progress report), then turns run_results.json into the
same Dagster events: an output per model and seed, an asset check result per dbt test.
A partial selection (from the UI) still goes through dagster-dbt's own streaming.
"""

import ctypes
import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, Failure, Output
from dagster_dbt import DagsterDbtTranslator, DbtProject
from dagster_dbt.asset_utils import get_asset_check_key_for_test

from lead_funnel.dbt_cli import dbt_executable
from lead_funnel.faults import checkpoint
from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.progress import Heartbeat

RESULT_LINE = re.compile(r"^\S*\s*(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")
FAULT_AFTER_RESULTS = 10
PROGRESS_EVERY = 50


PR_SET_PDEATHSIG = 1
# Resolved here, in the parent: after fork the child must not dlopen (a loader lock another
# thread held at fork time, the audit's imports loading meanwhile, would never be released).
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def die_with_parent() -> None:
    """In the child, before exec: the kernel kills it when the process that started it dies.

    Without this a killed run leaves `dbt build` running on (re-parented to PID 1) and
    holding the warehouse's file lock for as long as the build lasts.
    """
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def run_build(args: list[str], env: Mapping[str, str], target_path: Path, log_path: Path) -> int:
    """Run `dbt <args>` with text logs; report progress; return dbt's exit code."""
    command = [
        dbt_executable(),
        *args,
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    results = 0
    with log_path.open("w") as log, Heartbeat("dbt", "parsing and starting dbt") as beat:
        process = subprocess.Popen(
            command,
            cwd=DBT_PROJECT_DIR,
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            preexec_fn=die_with_parent,
        )
        assert process.stdout is not None
        try:
            for line in process.stdout:
                log.write(line)
                match = RESULT_LINE.match(line)
                if match and match.group(3) != "START":
                    results += 1
                    if results == FAULT_AFTER_RESULTS:
                        checkpoint("dbt")
                    beat.update(
                        f"{match.group(1)} of {match.group(2)} nodes done",
                        force=results % PROGRESS_EVERY == 0,
                    )
            return process.wait()
        finally:
            if process.poll() is None:  # interrupted (Ctrl-C, an error): stop dbt too
                process.kill()
                process.wait()


def _severity(result_status: str, node: Mapping[str, Any]) -> AssetCheckSeverity:
    configured = str(node.get("config", {}).get("severity", "error")).lower()
    if result_status == "warn" or configured == "warn":
        return AssetCheckSeverity.WARN
    return AssetCheckSeverity.ERROR


def events_from_run_results(
    context: AssetExecutionContext,
    run_results_path: Path,
    manifest: Mapping[str, Any],
    translator: DagsterDbtTranslator,
    project: DbtProject,
) -> Iterator[Output | AssetCheckResult]:
    """One Output per built model/seed, one AssetCheckResult per selected dbt test."""
    run_results = json.loads(run_results_path.read_text())
    nodes = manifest["nodes"]
    selected_checks = context.selected_asset_check_keys
    for result in run_results["results"]:
        unique_id = result["unique_id"]
        node = nodes.get(unique_id)
        if node is None:
            continue
        status = result["status"]
        metadata = {"execution_seconds": round(result.get("execution_time") or 0.0, 3)}
        if node["resource_type"] in ("model", "seed", "snapshot") and status == "success":
            key = translator.get_asset_spec(manifest, unique_id, project).key
            response = result.get("adapter_response") or {}
            if response.get("rows_affected") is not None:
                metadata["rows_affected"] = response["rows_affected"]
            yield Output(
                None,
                output_name=context.assets_def.get_output_name_for_asset_key(key),
                metadata=metadata,
            )
        elif node["resource_type"] == "test" and status != "skipped":
            check_key = get_asset_check_key_for_test(manifest, translator, unique_id, project)
            if check_key is None or check_key not in selected_checks:
                continue
            failures = result.get("failures")
            yield AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=check_key.name,
                passed=status == "pass",
                severity=_severity(status, node),
                metadata={**metadata, "status": status, "failures": failures or 0},
                description=result.get("message"),
            )


FOLDED_TESTS = ("column_checks_", "raw_checks_")


def folded_failures(con: Any, compiled_code: str) -> list[str]:
    """What a failed column_checks / raw_checks node found: each rule and column, with its rows."""
    rows = con.execute(
        f"select failed_check, column_name, count(*) from ({compiled_code}) as found"
        " group by failed_check, column_name order by failed_check, column_name"
    ).fetchall()
    return [f"{rule} on {column}: {count} row(s)" for rule, column, count in rows]


def _explain_folded(result: Mapping[str, Any], database: Path | None) -> str:
    name = result["unique_id"].split(".")[2] if result["unique_id"].count(".") >= 2 else ""
    code = result.get("compiled_code")
    if database is None or not code or not name.startswith(FOLDED_TESTS):
        return ""
    from lead_funnel.warehouse import connect

    try:
        with connect(database, read_only=True) as con:
            found = folded_failures(con, code)
    except Exception as error:  # the message stays dbt's; the log has the SQL
        return f" (could not list the failed rules: {error})"[:300]
    return " [" + "; ".join(found[:10]) + "]" if found else ""


def raise_for_failed_nodes(
    run_results_path: Path, log_path: Path, database: Path | None = None
) -> None:
    """Fail the step naming every dbt node that errored or whose error-level test failed
    (a folded test's rules and columns that failed too, read back from `database`)."""
    if not run_results_path.exists():
        raise Failure(f"dbt did not finish: see {log_path}")
    results = json.loads(run_results_path.read_text())["results"]
    failed = [r for r in results if r["status"] in ("error", "fail")]
    if failed:
        lines = [
            f"{r['unique_id']}: {r['status']} {(r.get('message') or '').strip()[:300]}"
            + (_explain_folded(r, database) if r["status"] == "fail" else "")
            for r in failed
        ]
        raise Failure(
            description=f"{len(failed)} dbt node(s) failed; nothing is published. Log: {log_path}"
            + "".join(f"\n    {line}" for line in lines[:50]),
            metadata={"failed_nodes": "\n".join(lines[:50])},
        )
