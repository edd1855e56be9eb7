"""The nightly refresh schedule: cron and time zone from the environment, as-of = the tick.

| variable | default |
|---|---|
| LEAD_FUNNEL_SCHEDULE_CRON | `0 2 * * *` (02:00) |
| LEAD_FUNNEL_SCHEDULE_TIMEZONE | `UTC` |
| LEAD_FUNNEL_SCHEDULE_STATUS | `STOPPED` (`RUNNING` to deploy it switched on) |

Stopped by default, so browsing the UI (`dagster dev` starts a daemon) never starts
nightly runs by accident. To run it for real either switch it on (in the UI, or
LEAD_FUNNEL_SCHEDULE_STATUS=RUNNING) and keep `dagster-daemon run` going with the same
DAGSTER_HOME, or leave it stopped and call `lead-funnel run` from cron or a systemd
timer (README: The nightly job).
"""

import os

from dagster import (
    DefaultScheduleStatus,
    JobDefinition,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    schedule,
)

from lead_funnel.run_parameters import format_as_of
from orchestration.run_context import AS_OF_TAG

DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_STATUS = "STOPPED"


def build_nightly_schedule(job: JobDefinition) -> ScheduleDefinition:
    cron = os.environ.get("LEAD_FUNNEL_SCHEDULE_CRON", DEFAULT_CRON)
    timezone = os.environ.get("LEAD_FUNNEL_SCHEDULE_TIMEZONE", DEFAULT_TIMEZONE)
    status = DefaultScheduleStatus(
        os.environ.get("LEAD_FUNNEL_SCHEDULE_STATUS", DEFAULT_STATUS).upper()
    )

    @schedule(
        name="nightly_refresh_schedule",
        job=job,
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=status,
        description="The nightly refresh; each run's as-of time is its scheduled tick (UTC).",
    )
    def nightly_refresh_schedule(context: ScheduleEvaluationContext) -> RunRequest:
        as_of = format_as_of(context.scheduled_execution_time)  # the tick, in UTC
        return RunRequest(run_key=as_of, tags={AS_OF_TAG: as_of})

    return nightly_refresh_schedule
