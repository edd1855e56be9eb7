"""Every tool in the stack is told not to phone home: the network is closed and a call can hang."""

from __future__ import annotations

import os

_OFF = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DAGSTER_DISABLE_TELEMETRY": "true",
}


def disable_telemetry() -> None:
    """Set the opt-out variables unless the user already chose a value."""
    for name, value in _OFF.items():
        os.environ.setdefault(name, value)
