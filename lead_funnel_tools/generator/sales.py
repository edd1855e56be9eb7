"""Opportunities: from conversion to Closed Won / Closed Lost.

A converted SQL becomes an opportunity owned by an AE of the lead's region, created at the
conversion. It moves Prospecting -> Discovery -> Proposal -> Negotiation and closes won after
about two months, or is lost earlier at any stage. Winning depends on the channel's rate and
on fit (bigger, better-fitting companies win more and buy bigger deals). The amount is in the
opportunity's currency as entered; about one in five deals changes amount at the proposal.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator import params as P
from lead_funnel_tools.generator.logs import Log
from lead_funnel_tools.generator.people import People
from lead_funnel_tools.generator.rng import calibrate, choice, lognormal, systematic
from lead_funnel_tools.generator.users import Org, pick_by_region
from lead_funnel_tools.generator.vocab import COUNTRIES, EMPLOYEE_BANDS, ROLE_AE
from lead_funnel_tools.generator.worktime import DAY, add_working_hours

IntArray = npt.NDArray[np.int64]

_BAND_FACTOR = np.array([0.6, 1.0, 1.6, 2.6, 4.0, 6.0])


def opportunities(
    rng: np.random.Generator,
    org: Org,
    people: People,
    leads: IntArray,
    number: IntArray,
    t_conv: IntArray,
    log: Log,
    carry: np.ndarray,
) -> tuple[npt.NDArray[np.bool_], IntArray]:
    """Simulate the opportunities of converted cycles; returns (won, close time)."""
    k = len(leads)
    channel = people.channel[leads]
    region = np.array([c[3] for c in COUNTRIES], dtype=np.int64)[people.country[leads]]
    owner = pick_by_region(rng, org, ROLE_AE, region)
    p_won = calibrate(P.BETA_WON * people.fit_z[leads], channel, P.channel_array("p_won"))
    won = systematic(rng, p_won, channel, carry, t_conv)
    created = t_conv + rng.integers(5, 120, k)
    duration = np.where(won, lognormal(rng, 48.0, 0.5, k), lognormal(rng, 45.0, 0.6, k))
    duration = np.maximum(duration, 3.0) * DAY
    close = add_working_hours(created + duration.astype(np.int64), 0.0, org.tz[owner])
    last_stage = np.where(won, 3, choice(rng, [0.25, 0.35, 0.25, 0.15], k))
    fractions = np.sort(rng.uniform(0.05, 0.95, (k, 3)), axis=1)
    span = close - created
    stage_t = created[:, None] + (fractions * span[:, None]).astype(np.int64)
    reached = np.arange(1, 4)[None, :] <= last_stage[:, None]
    stage_t = np.where(reached, stage_t, 0)
    emp = people.employees[leads]
    band = np.searchsorted([b[2] for b in EMPLOYEE_BANDS[:-1]], np.maximum(emp, 1), side="left")
    amount = np.round(
        lognormal(rng, 12_000.0, 0.5, k)
        * _BAND_FACTOR[band]
        * (1 + 0.3 * (people.fit_z[leads] > 0)),
        -2,
    )
    log.add(lead=leads, cycle=number, created=created, discovery=stage_t[:, 0],
            proposal=stage_t[:, 1], negotiation=stage_t[:, 2], close=close, won=won,
            amount=amount, owner=owner)  # fmt: skip
    return won, close
