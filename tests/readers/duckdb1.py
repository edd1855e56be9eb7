"""A real DuckDB 1.x client, in its own cached virtualenv, to open what we publish."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

# The oldest and the newest 1.x release: the serve file must open in both.
DUCKDB_1_VERSIONS = ("1.0.0", "1.5.6")
READERS_DIR = REPO_ROOT / ".venv-readers"

READ_SCRIPT = """
import json, sys
import duckdb
path, sql_by_name = sys.argv[1], json.loads(sys.argv[2])
con = duckdb.connect(path, read_only=True)
out = {"version": duckdb.__version__, "results": {}}
for name, sql in sql_by_name.items():
    out["results"][name] = [[str(v) for v in row] for row in con.execute(sql).fetchall()]
print(json.dumps(out))
"""


def duckdb1_python(version: str) -> Path:
    """The Python of a venv holding duckdb==version, created once and kept (cached)."""
    venv = READERS_DIR / f"duckdb-{version}"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"duckdb=={version}",
            ],
            check=True,
        )
        marker.write_text(version)
    return python


def read_with_duckdb1(version: str, path: Path, sql_by_name: dict[str, str]) -> dict:
    completed = subprocess.run(
        [str(duckdb1_python(version)), "-c", READ_SCRIPT, str(path), json.dumps(sql_by_name)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)
