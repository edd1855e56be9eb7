"""The SLA asset's engine: the working-hours clock, the breach evaluation and the alerts.

Instants are naive UTC ``datetime64[ns]`` (see ``lead_funnel.sla.clock``); the rules are in the
docstrings of ``clock`` (working time) and ``breaches`` (states, ids, hours late).
"""

from lead_funnel.sla.alerts import (
    WEBHOOK_ENV,
    AlertOutcome,
    post_webhook,
    publish_alert,
    render_alert_markdown,
    write_alert_summary,
)
from lead_funnel.sla.breaches import (
    BREACH_COLUMNS,
    BREACH_CONTRACT_COLUMNS,
    CLOCK_START_COLUMNS,
    EVALUATION_COLUMNS,
    STATES,
    breaches_from,
    evaluate_slas,
    write_sla_tables,
)
from lead_funnel.sla.clock import (
    CalendarBook,
    WorkingCalendar,
    add_working_hours,
    apply_by_time_zone,
    next_working_minute,
    working_hours_between,
)

__all__ = [
    "BREACH_COLUMNS",
    "BREACH_CONTRACT_COLUMNS",
    "CLOCK_START_COLUMNS",
    "EVALUATION_COLUMNS",
    "STATES",
    "WEBHOOK_ENV",
    "AlertOutcome",
    "CalendarBook",
    "WorkingCalendar",
    "add_working_hours",
    "apply_by_time_zone",
    "breaches_from",
    "evaluate_slas",
    "next_working_minute",
    "post_webhook",
    "publish_alert",
    "render_alert_markdown",
    "working_hours_between",
    "write_alert_summary",
    "write_sla_tables",
]
