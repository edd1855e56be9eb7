"""A Spark publication SIGKILLed in each of its phases (copy, views, pointer): the process and
its JVM die with nothing run after the kill (no `finally`, no session stop), the readers of
`marts` keep seeing the previous publication whole, and the next run rolls the leftover
back and publishes. One warehouse; each step is its own process (tests/spark/publish_kill.py).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lead_funnel.faults import SPARK_PUBLISH_PHASES
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.spark

pyspark = pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra")


def _step(warehouse_dir: Path, phase: str | None) -> tuple[int, dict]:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.spark.publish_kill", str(warehouse_dir)]
        + ([phase] if phase else []),
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert lines, completed.stdout[-2000:] + completed.stderr[-4000:]
    return completed.returncode, json.loads(lines[0])


def test_a_publication_killed_in_each_phase_leaves_the_previous_one(tmp_path: Path) -> None:
    warehouse_dir = tmp_path / "spark"
    assert SPARK_PUBLISH_PHASES == (
        "publish:spark_copy",
        "publish:spark_views",
        "publish:spark_pointer",
    )
    returncode, first = _step(warehouse_dir, SPARK_PUBLISH_PHASES[0])
    assert returncode == -signal.SIGKILL
    assert first["before_recovery"]["counts"] is None  # a new warehouse: nothing published
    assert first["republished"]["counts"] == [1, 1]

    # run n published n rows in each mart; run n + 1 was killed in phase n
    for published, phase in enumerate([*SPARK_PUBLISH_PHASES[1:], None], start=1):
        returncode, state = _step(warehouse_dir, phase)
        assert returncode == (0 if phase is None else -signal.SIGKILL), phase
        killed = f"marts_p2025030{published + 2}020000_{published + 1:08x}"
        # what readers saw after the kill: the previous publication, whole, one run's rows
        assert state["before_recovery"] == {
            "counts": [published, published],
            "runs": [f"run{published}"],
            "publication": f"marts_p2025030{published + 1}020000_{published:08x}",
        }, (phase, state)
        assert killed in state["recovered"] and "dropped" in state["recovered"], state
        assert state["after_recovery"] == state["before_recovery"]
        # the next run publishes the killed run's candidates; one previous publication kept
        assert state["republished"]["counts"] == [published + 1, published + 1]
        assert state["republished"]["publication"] == killed
        assert len(state["databases"]) == 2, state["databases"]
