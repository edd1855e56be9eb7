"""SLA breach alerts: a markdown summary per run, optionally posted to a Slack-style webhook.

Rules:

* Every run writes one markdown file ``sla-alert-<as-of YYYYMMDDTHHMMSSZ>-<run id>.md``.
* The webhook is posted to only when ``LEAD_FUNNEL_ALERT_WEBHOOK_URL`` is set (and non-empty);
  the body is Slack's ``{"text": ...}``. Alerting is best effort: a failed post is logged and
  reported in the outcome, never raised, so an unreachable chat server cannot fail the run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lead_funnel.run_parameters import parse_as_of

WEBHOOK_ENV = "LEAD_FUNNEL_ALERT_WEBHOOK_URL"
LOGGER = logging.getLogger(__name__)

Poster = Callable[[str, str], int]


def _owner_label(owner_id: object) -> str:
    return "(unassigned)" if owner_id is None or owner_id != owner_id else f"`{owner_id}`"


def render_alert_markdown(
    summary: Mapping[str, Any], as_of: dt.datetime | pd.Timestamp | str, run_id: str
) -> str:
    """Markdown for one run: totals, breaches by SLA (open vs closed), the worst owners.
    ``summary`` is what ``write_sla_tables`` returns."""
    stamp = parse_as_of(as_of)
    lines = [
        f"# SLA breaches as of {stamp:%Y-%m-%d %H:%M} UTC",
        "",
        f"Run `{run_id}`: **{summary.get('breaches', 0)} breaches** "
        f"({summary.get('open_breaches', 0)} open, {summary.get('closed_breaches', 0)} closed) "
        f"among {summary.get('evaluations', 0)} SLA clocks.",
        "",
    ]
    by_sla: Mapping[str, Mapping[str, int]] = summary.get("breaches_by_sla", {})
    if not by_sla:
        lines.append("No SLA breaches.")
        return "\n".join(lines) + "\n"
    lines += ["## By SLA", "", "| SLA | open | closed | total |", "|---|---:|---:|---:|"]
    for sla, counts in by_sla.items():
        open_, closed = counts.get("open", 0), counts.get("closed", 0)
        lines.append(f"| `{sla}` | {open_} | {closed} | {counts.get('total', open_ + closed)} |")
    lines += ["", "## Owners with the most breaches", ""]
    lines += [
        "| owner | breaches | open | closed | working hours late |",
        "|---|---:|---:|---:|---:|",
    ]
    for owner in summary.get("top_owners", []):
        lines.append(
            f"| {_owner_label(owner.get('owner_id'))} | {owner.get('breaches', 0)} "
            f"| {owner.get('open', 0)} | {owner.get('closed', 0)} "
            f"| {float(owner.get('hours_late', 0.0)):.1f} |"
        )
    return "\n".join(lines) + "\n"


def alert_file_name(as_of: dt.datetime | pd.Timestamp | str, run_id: str) -> str:
    """``sla-alert-<YYYYMMDDTHHMMSSZ>-<run id>.md``; the run id is reduced to ``[A-Za-z0-9_.-]``."""
    safe_run = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(run_id)).strip("._") or "run"
    return f"sla-alert-{parse_as_of(as_of):%Y%m%dT%H%M%S}Z-{safe_run}.md"


def write_alert_summary(
    directory: Path,
    summary: Mapping[str, Any],
    as_of: dt.datetime | pd.Timestamp | str,
    run_id: str,
) -> Path:
    """Write the run's markdown summary into ``directory`` (created if needed); return its path.
    A rerun with the same as-of and run id overwrites its own file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / alert_file_name(as_of, run_id)
    path.write_text(render_alert_markdown(summary, as_of, run_id), encoding="utf-8")
    return path


def post_webhook(url: str, text: str, timeout: float = 5) -> int:
    """POST ``{"text": text}`` as JSON to an http(s) ``url``; return the HTTP status.
    Raises ``ValueError`` for other schemes and ``urllib.error.URLError``/``OSError`` on failure."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("the alert webhook must be an http(s) URL")
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return int(response.status)


@dataclass(frozen=True)
class AlertOutcome:
    """What ``publish_alert`` did: the markdown file, whether a webhook post succeeded, and the
    error text of a failed post (None when it succeeded or was not attempted)."""

    path: Path
    posted: bool
    error: str | None = None


def publish_alert(
    directory: Path,
    summary: Mapping[str, Any],
    as_of: dt.datetime | pd.Timestamp | str,
    run_id: str,
    *,
    environ: Mapping[str, str] | None = None,
    poster: Poster = post_webhook,
) -> AlertOutcome:
    """Write the markdown summary; post it when ``LEAD_FUNNEL_ALERT_WEBHOOK_URL`` is set in
    ``environ`` (default ``os.environ``). Never raises for a failed post."""
    path = write_alert_summary(directory, summary, as_of, run_id)
    url = (os.environ if environ is None else environ).get(WEBHOOK_ENV, "").strip()
    if not url:
        return AlertOutcome(path=path, posted=False)
    try:
        status = poster(url, path.read_text(encoding="utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        LOGGER.warning("SLA alert webhook failed: %s", error)
        return AlertOutcome(path=path, posted=False, error=str(error))
    if not 200 <= status < 300:
        LOGGER.warning("SLA alert webhook answered HTTP %s", status)
        return AlertOutcome(path=path, posted=False, error=f"HTTP {status}")
    return AlertOutcome(path=path, posted=True)
