"""How codes read in the report: channel names come from the published `dim_channels`
(seed `channels`); stages, SLAs and reason codes are spelled out here for display only."""

from __future__ import annotations

STAGE_LABELS = {
    "mqls": "MQLs",
    "sals": "SALs",
    "sqls": "SQLs",
    "opportunities": "Opportunities",
    "won": "Won",
}

SLA_LABELS = {
    "sal_review": "SAL review",
    "first_touch": "First touch",
    "follow_up_attempts": "Follow-up attempts",
}

ATTRIBUTION_MODEL_LABELS = {
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "linear": "Linear",
    "u_shaped": "U-shaped",
    "w_shaped": "W-shaped",
    "time_decay": "Time decay",
}

RESPONSE_BUCKET_LABELS = {
    "within_5_minutes": "≤ 5 minutes",
    "within_1_hour": "≤ 1 hour",
    "within_1_day": "≤ 1 day",
    "within_2_days": "≤ 2 days",
    "later": "Later",
    "no_touch_yet": "No touch yet",
}


def humanize(code: str | None) -> str:
    """`not_evaluating` -> `Not evaluating`; None -> `(none)`."""
    if code is None or code == "":
        return "(none)"
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(mapping: dict[str, str], code: str | None) -> str:
    return mapping.get(code or "", humanize(code))
