"""Run dbt against a warehouse file as a subprocess, with the project's environment.

One place that knows how the dbt project is invoked: the DuckDB path, the as-of
time and the marts schema travel as environment variables (see
dbt_project/profiles.yml and stg_lead_funnel__run_context), so a changing as-of
never forces dbt to re-parse the project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.run_parameters import format_as_of
from lead_funnel.settings import RAW_SCHEMA_ENV
from lead_funnel.telemetry import disable_telemetry


def dbt_executable() -> str:
    """The dbt beside this interpreter (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise FileNotFoundError("dbt is not installed: run `make setup`")
    return found


def dbt_environment(
    database: Path,
    *,
    as_of: datetime | None = None,
    marts_schema: str = "marts",
    raw_schemas: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment variables the dbt project reads (profiles.yml, the sources yml's raw
    schemas, stg_lead_funnel__run_context's as-of), over `base` (default: this process's)."""
    disable_telemetry()
    env = dict(os.environ if base is None else base)
    env["LEAD_FUNNEL_DATABASE"] = str(Path(database).resolve())
    env["LEAD_FUNNEL_MARTS_SCHEMA"] = marts_schema
    if as_of is not None:
        env["LEAD_FUNNEL_AS_OF"] = format_as_of(as_of)
    else:
        env.pop("LEAD_FUNNEL_AS_OF", None)
    for source, schema in (raw_schemas or {}).items():
        env[RAW_SCHEMA_ENV[source]] = schema
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def run_dbt(
    args: Sequence[str],
    *,
    database: Path,
    as_of: datetime | None = None,
    marts_schema: str = "marts",
    target_path: Path | None = None,
    check: bool = True,
    capture: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` in the project directory.

    target_path isolates dbt's artifacts (manifest, partial-parse state, logs) so
    that concurrent callers (tests, the pipeline) never share them.
    """
    command = [dbt_executable(), *args, "--profiles-dir", str(DBT_PROJECT_DIR)]
    if target_path is not None:
        command += [
            "--target-path",
            str(target_path),
            "--log-path",
            str(Path(target_path) / "logs"),
        ]
    completed = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env=dbt_environment(database, as_of=as_of, marts_schema=marts_schema),
        text=True,
        capture_output=capture,
        check=False,
    )
    if check and completed.returncode != 0:
        output = (completed.stdout or "") + (completed.stderr or "")
        raise RuntimeError(
            f"dbt {' '.join(args)} failed (exit {completed.returncode}):\n{output[-6000:]}"
        )
    return completed
