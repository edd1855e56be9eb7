"""Named points of a run where a fault can be injected (for the fault-injection tests).

`LEAD_FUNNEL_FAULT_AT=<phase>` makes the run stop at that phase: it writes the
phase to the file named by `LEAD_FUNNEL_FAULT_MARKER` (if set) and then waits to
be killed from outside (SIGKILL), or kills itself when
`LEAD_FUNNEL_FAULT_ACTION=kill`, or fails as a full disk does with `...=disk_full`. Unset, a checkpoint costs one dict lookup.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

FAULT_ENV = "LEAD_FUNNEL_FAULT_AT"
MARKER_ENV = "LEAD_FUNNEL_FAULT_MARKER"
ACTION_ENV = "LEAD_FUNNEL_FAULT_ACTION"

PHASES = (
    "dbt",  # dbt build is running (some models built, others not)
    "sla",  # inside the SLA tables' write transaction
    "checks",  # while the GX invariants validate
    "publish:serve_copy",  # the new serve file is half written
    "publish:warehouse",  # inside the transaction replacing the warehouse's marts
    "publish:before_rename",  # everything written, the new serve file not yet in place
)
SPARK_PUBLISH_PHASES = (  # lead_funnel.spark_publish
    "publish:spark_copy",  # the new publication database is half copied
    "publish:spark_views",  # some marts views re-defined, others not
    "publish:spark_pointer",  # every view ready, the pointer not yet flipped
)


def checkpoint(phase: str) -> None:
    """Stop here if a fault is requested for this phase."""
    if os.environ.get(FAULT_ENV) != phase:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(f"{phase} {os.getpid()}\n")
    if os.environ.get(ACTION_ENV) == "disk_full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), phase)
    if os.environ.get(ACTION_ENV) == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    while True:  # wait for the SIGKILL the test sends
        time.sleep(0.05)
