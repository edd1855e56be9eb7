"""Alert markdown, the per-run file, and the webhook (against a local server, never the network)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.error
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from lead_funnel.sla.alerts import (
    WEBHOOK_ENV,
    alert_file_name,
    post_webhook,
    publish_alert,
    render_alert_markdown,
    write_alert_summary,
)

AS_OF = dt.datetime(2025, 3, 12, 12, 0)
SUMMARY: dict[str, Any] = {
    "evaluations": 12,
    "breaches": 6,
    "open_breaches": 3,
    "closed_breaches": 3,
    "breaches_by_sla": {
        "first_touch": {"open": 2, "closed": 1, "total": 3},
        "sal_review": {"open": 1, "closed": 2, "total": 3},
    },
    "top_owners": [
        {"owner_id": "U1", "breaches": 5, "open": 2, "closed": 3, "hours_late": 45.0},
        {"owner_id": None, "breaches": 1, "open": 1, "closed": 0, "hours_late": 4.25},
    ],
}


def test_render_alert_markdown() -> None:
    text = render_alert_markdown(SUMMARY, AS_OF, "run-7")
    assert text.startswith("# SLA breaches as of 2025-03-12 12:00 UTC\n")
    assert "**6 breaches** (3 open, 3 closed) among 12 SLA clocks" in text
    assert "| `first_touch` | 2 | 1 | 3 |" in text
    assert "| `U1` | 5 | 2 | 3 | 45.0 |" in text
    assert "| (unassigned) | 1 | 1 | 0 | 4.2 |" in text  # 4.25 rounds half-even to 4.2


def test_render_without_breaches() -> None:
    text = render_alert_markdown({"evaluations": 3, "breaches_by_sla": {}}, AS_OF, "r")
    assert "No SLA breaches." in text


def test_write_alert_summary_one_file_per_run(tmp_path: Path) -> None:
    first = write_alert_summary(tmp_path / "alerts", SUMMARY, AS_OF, "run/7 a")
    second = write_alert_summary(tmp_path / "alerts", SUMMARY, AS_OF, "run-8")
    assert first.name == "sla-alert-20250312T120000Z-run_7_a.md"
    assert second.name == alert_file_name(AS_OF, "run-8")
    assert first != second
    assert first.read_text(encoding="utf-8") == render_alert_markdown(SUMMARY, AS_OF, "run/7 a")


def test_publish_alert_posts_only_when_the_variable_is_set(tmp_path: Path) -> None:
    calls: list[tuple[str, str]] = []

    def poster(url: str, text: str) -> int:
        calls.append((url, text))
        return 200

    quiet = publish_alert(tmp_path, SUMMARY, AS_OF, "r1", environ={}, poster=poster)
    assert (quiet.posted, calls) == (False, [])
    loud = publish_alert(
        tmp_path, SUMMARY, AS_OF, "r2", environ={WEBHOOK_ENV: "http://hook"}, poster=poster
    )
    assert loud.posted
    assert calls == [("http://hook", loud.path.read_text(encoding="utf-8"))]


def test_publish_alert_survives_a_failing_webhook(tmp_path: Path) -> None:
    def poster(url: str, text: str) -> int:
        raise urllib.error.URLError("connection refused")

    outcome = publish_alert(
        tmp_path, SUMMARY, AS_OF, "r", environ={WEBHOOK_ENV: "http://hook"}, poster=poster
    )
    assert not outcome.posted
    assert outcome.error is not None and "refused" in outcome.error
    assert outcome.path.exists()


class _Hook(BaseHTTPRequestHandler):
    bodies: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).bodies.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


@pytest.fixture
def hook_server() -> Iterator[str]:
    _Hook.bodies.clear()
    _Hook.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_post_webhook_sends_slack_json(hook_server: str) -> None:
    assert post_webhook(hook_server, "hello *team*", timeout=5) == 200
    assert _Hook.bodies == [{"text": "hello *team*"}]


def test_post_webhook_errors(hook_server: str, tmp_path: Path) -> None:
    _Hook.status = 500
    with pytest.raises(urllib.error.HTTPError):
        post_webhook(hook_server, "x")
    outcome = publish_alert(tmp_path, SUMMARY, AS_OF, "r", environ={WEBHOOK_ENV: hook_server})
    assert not outcome.posted
    with pytest.raises(ValueError, match="http"):
        post_webhook("file:///etc/passwd", "x")
