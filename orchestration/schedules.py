"""The nightly refresh schedule: cron and time zone from the environment, as-of = the tick.

| variable | default |
|---|---|
| LEAD_FUNNEL_SCHEDULE_CRON | `0 2 * * *` (02:00) |
| LEAD_FUNNEL_SCHEDULE_TIMEZONE | `UTC` |
| LEAD_FUNNEL_SCHEDULE_STATUS | `RUNNING` (`STOPPED` to deploy it switched off) |
"""

import os
from datetime import UTC

from dagster import (
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    schedule,
)

from orchestration.run_context import AS_OF_TAG, format_as_of

DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "UTC"


def build_nightly_schedule(job: JobDefinition) -> ScheduleDefinition:
    cron = os.environ.get("LEAD_FUNNEL_SCHEDULE_CRON", DEFAULT_CRON)
    timezone = os.environ.get("LEAD_FUNNEL_SCHEDULE_TIMEZONE", DEFAULT_TIMEZONE)
    status = DefaultScheduleStatus(os.environ.get("LEAD_FUNNEL_SCHEDULE_STATUS", "RUNNING").upper())

    @schedule(
        name="nightly_refresh_schedule",
        job=job,
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=status,
        description="The nightly refresh; each run's as-of time is its scheduled tick (UTC).",
    )
    def nightly_refresh_schedule(context: ScheduleEvaluationContext) -> RunRequest:
        tick = context.scheduled_execution_time
        as_of = tick.astimezone(UTC).replace(tzinfo=None)
        return RunRequest(run_key=format_as_of(as_of), tags={AS_OF_TAG: format_as_of(as_of)})

    return nightly_refresh_schedule
