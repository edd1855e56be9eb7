"""What every step of a run agrees on: its as-of time and whether it is a full refresh.

The as-of time travels as a run tag, so the schedule (the tick), the CLI (--as-of)
and the UI (launch time) set it the same way, and it is visible on the run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dagster import AssetCheckExecutionContext, AssetExecutionContext

AS_OF_TAG = "lead_funnel/as_of"
FULL_REFRESH_TAG = "lead_funnel/full_refresh"
AS_OF_FORMAT = "%Y-%m-%d %H:%M:%S"

Context = AssetExecutionContext | AssetCheckExecutionContext


def parse_as_of(text: str) -> datetime:
    """'YYYY-MM-DD HH:MM:SS' (UTC) or an ISO timestamp with an offset, to naive UTC."""
    value = datetime.fromisoformat(text.strip().replace("T", " "))
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def format_as_of(value: datetime) -> str:
    return value.strftime(AS_OF_FORMAT)


def run_as_of(context: Context) -> datetime:
    """The run's as-of tag, else the moment the run was created (the same for every step)."""
    tag = context.run.tags.get(AS_OF_TAG)
    if tag:
        return parse_as_of(tag)
    record = context.instance.get_run_record_by_id(context.run.run_id)
    created = record.create_timestamp if record else datetime.now(UTC)
    return created.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def is_full_refresh(context: Context) -> bool:
    return context.run.tags.get(FULL_REFRESH_TAG, "false").lower() == "true"


ACCEPT_TAG = "lead_funnel/accept"


def accepted_gate_rules(context: Context) -> set[str]:
    """The gate rules the launcher accepted for this run (`lead-funnel run --accept`)."""
    from lead_funnel.gate import parse_accepted

    return parse_accepted(context.run.tags.get(ACCEPT_TAG))
