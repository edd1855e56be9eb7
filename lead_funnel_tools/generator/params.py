"""Behaviour per channel: lead mix, stage rates, lanes, timing and rejection reasons.

The stage rates are the *average* probabilities per channel; each lead's own probability
moves with its fit (industry, size, revenue, territory, seniority, persona from the seeds'
points) and its junk traits (students, competitors, ...), and the generator re-solves the
channel intercept so the channel average stays on target. Targets sit inside the published
B2B ranges (lead->MQL 15-35 %, MQL->SAL 50-80 %, SAL->SQL 30-60 %, SQL->opportunity 40-70 %,
opportunity->won 15-35 %) with MQL->SQL low for volume channels (~16 %) and high for demo
requests, referrals and partners (~30 %).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lead_funnel_tools.generator.vocab import (
    CHANNELS,
    R_DUPLICATE,
    R_IN_PIPELINE,
    R_INVALID,
    R_NO_FIT,
    R_NOT_EVALUATING,
    R_PERSONA,
    R_SIZE,
    R_STUDENT,
    REASONS,
)


@dataclass(frozen=True)
class ChannelParams:
    """One channel's behaviour."""

    share: float  # of new leads
    sources: tuple[tuple[int, float], ...]  # (LEAD_SOURCES index, weight)
    p_mql: float  # first-cycle lead -> MQL (webinar: see WEBINAR_*)
    mql_delay_days: float  # median days from creation to a score-lane MQL
    lanes: tuple[float, float, float]  # first cycle: fast lane, score, manual
    p_sal: float
    p_sql: float
    p_opp: float
    p_won: float
    recycle_share: float  # of the MQLs sales does not accept
    nurture_share: float  # leads parked in Nurture before their MQL
    engagement: float  # multiplier of background web / email activity
    reasons: tuple[tuple[int, float], ...]  # generic rejection reasons


_GENERIC = ((R_NOT_EVALUATING, 0.35), (R_PERSONA, 0.2), (R_NO_FIT, 0.2), (R_SIZE, 0.1),
            (R_IN_PIPELINE, 0.1), (R_DUPLICATE, 0.05))  # fmt: skip

CHANNEL_PARAMS: tuple[ChannelParams, ...] = (
    # organic_search
    ChannelParams(0.15, ((0, 1.0),), 0.27, 12, (0.22, 0.70, 0.08), 0.545, 0.315, 0.56, 0.25,
                  0.30, 0.2, 1.2, _GENERIC),
    # paid_search
    ChannelParams(0.13, ((1, 1.0),), 0.25, 14, (0.25, 0.68, 0.07), 0.535, 0.315, 0.54, 0.25,
                  0.30, 0.2, 1.0, _GENERIC),
    # paid_social: needs nurture: long time to MQL, many recycles
    ChannelParams(0.11, ((2, 0.6), (3, 0.4)), 0.24, 45, (0.12, 0.80, 0.08), 0.525, 0.315, 0.52,
                  0.25, 0.55, 0.7, 0.8,
                  ((R_STUDENT, 0.3), (R_NOT_EVALUATING, 0.35), (R_PERSONA, 0.2), (R_NO_FIT, 0.15))),
    # content_syndication: volume, lowest acceptance
    ChannelParams(0.17, ((4, 1.0),), 0.21, 30, (0.08, 0.86, 0.06), 0.52, 0.315, 0.50, 0.25,
                  0.25, 0.4, 0.6,
                  ((R_NOT_EVALUATING, 0.5), (R_PERSONA, 0.35), (R_NO_FIT, 0.1), (R_DUPLICATE, 0.05))),
    # webinar: attendees convert much better than no-shows (WEBINAR_P_MQL)
    ChannelParams(0.09, ((5, 1.0),), 0.25, 4, (0.12, 0.63, 0.25), 0.545, 0.315, 0.55, 0.25,
                  0.30, 0.2, 1.1, _GENERIC),
    # events: manual MQLs after the show; bad scans
    ChannelParams(0.08, ((6, 0.6), (7, 0.4)), 0.29, 3, (0.05, 0.20, 0.75), 0.525, 0.315, 0.53,
                  0.25, 0.25, 0.1, 0.7,
                  ((R_INVALID, 0.4), (R_DUPLICATE, 0.3), (R_NOT_EVALUATING, 0.3))),
    # email
    ChannelParams(0.06, ((8, 1.0),), 0.24, 20, (0.20, 0.72, 0.08), 0.53, 0.315, 0.54, 0.25,
                  0.30, 0.3, 1.3, _GENERIC),
    # partner
    ChannelParams(0.025, ((9, 0.6), (10, 0.4)), 0.33, 10, (0.30, 0.40, 0.30), 0.70, 0.39, 0.62,
                  0.27, 0.30, 0.1, 1.0, _GENERIC),
    # referral
    ChannelParams(0.02, ((11, 0.6), (12, 0.4)), 0.34, 8, (0.35, 0.35, 0.30), 0.72, 0.39, 0.64,
                  0.27, 0.30, 0.1, 1.0, _GENERIC),
    # direct_demo_request: every lead hand-raised (fast lane)
    ChannelParams(0.012, ((13, 1.0),), 1.0, 0, (1.0, 0.0, 0.0), 0.70, 0.39, 0.62, 0.27,
                  0.30, 0.0, 1.0, _GENERIC),
    # outbound: SDR-prospected, tasks first, few MQLs (manual by the SDR)
    ChannelParams(0.125, ((14, 0.6), (15, 0.4)), 0.20, 15, (0.10, 0.25, 0.65), 0.525, 0.315, 0.52,
                  0.25, 0.30, 0.1, 0.4, _GENERIC),
    # other: lead sources no seed maps (bad input): behaves like organic
    ChannelParams(0.0, ((16, 0.6), (17, 0.4)), 0.25, 14, (0.2, 0.7, 0.1), 0.55, 0.31, 0.5, 0.22,
                  0.30, 0.2, 1.0, _GENERIC),
)  # fmt: skip
assert len(CHANNEL_PARAMS) == len(CHANNELS)

WEBINAR_ATTEND_RATE = 0.45
WEBINAR_P_MQL = (0.10, 0.44)  # no-show, attended

# fit and junk effects (logit scale)
BETA_MQL = 0.5
BETA_SAL = 0.9
BETA_SQL = 0.5
BETA_OPP = 0.3
BETA_WON = 0.8
JUNK_SAL_PENALTY = -2.5
MISSING_REASON_SHARE = 0.03
SKIP_SAL_SHARE = 0.12  # of SQL cycles: MQL straight to Sales Qualified
SKIP_TO_CONVERTED_SHARE = 0.06  # of converted cycles: MQL straight to Converted
MAX_CYCLES = 3


def channel_array(field: str) -> np.ndarray:
    """One parameter for every channel as an array indexed by channel code."""
    return np.array([getattr(p, field) for p in CHANNEL_PARAMS], dtype=np.float64)


def reason_matrix() -> np.ndarray:
    """Generic rejection-reason weights per channel (rows) and reason code (columns)."""
    out = np.zeros((len(CHANNELS), len(REASONS)))
    for c, p in enumerate(CHANNEL_PARAMS):
        for code, weight in p.reasons:
            out[c, code] = weight
    return out
