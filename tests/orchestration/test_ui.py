"""`lead-funnel ui` (dagster dev on 127.0.0.1) serves the asset graph; stopped by its own pid."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

QUERY = "{ assetNodes { assetKey { path } groupName } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_the_ui_serves_the_dbt_and_sla_assets(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "LEAD_FUNNEL_SCHEDULE_STATUS": "STOPPED",
    }
    executable = Path(sys.executable).with_name("lead-funnel")
    server = subprocess.Popen(
        [
            str(executable),
            "ui",
            "--database",
            str(tmp_path / "warehouse.duckdb"),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        nodes = None
        while time.monotonic() < deadline:
            assert server.poll() is None, "the UI exited"
            try:
                answer = graphql(port, QUERY)
                nodes = answer.get("data", {}).get("assetNodes")
                if nodes:
                    break
            except OSError:
                pass
            time.sleep(1)
        assert nodes, "the UI never answered with the asset graph"
        keys = {"/".join(node["assetKey"]["path"]) for node in nodes}
        assert {
            "marts/fct_lead_cycles",
            "marts/fct_sla_breaches",
            "publication/published_marts",
        } <= keys
        assert {"staging/stg_salesforce__lead", "seeds/sla_policies"} <= keys
        groups = {node["groupName"] for node in nodes}
        assert {"raw", "staging", "intermediate", "marts", "publication"} <= groups
    finally:
        os.killpg(
            server.pid, signal.SIGTERM
        )  # the process group we started: dagster dev and its children
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
