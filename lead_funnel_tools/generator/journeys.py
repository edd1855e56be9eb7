"""Multi-touch journeys: the marketing touches a lead collects between its creation and a handoff.

A lead rarely converts on its first touch. Before each handoff cycle (in the window from the
lead's creation, or from the close of its previous cycle, up to the MQL) and in the three
months after creation of a lead that never qualifies, leads respond to other campaigns:

* nurture emails (a click on the month's newsletter: a Marketo program success on the
  newsletter program, no Salesforce campaign member);
* webinars (a Salesforce campaign member that attended);
* content syndication downloads, paid search and paid social ad responses (campaign members).

Future buyers attend more webinars, fast-lane hand raisers mostly come through paid ads before
the demo request, so first-touch, last-touch and the position-based models tell channels apart.
Deterministic: one random stream per block (``stream(seed, "block", i, "journeys")``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.block import Block
from lead_funnel_tools.generator.campaigns import assign
from lead_funnel_tools.generator.funnel import LANE_FAST
from lead_funnel_tools.generator.logs import concat_index
from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    C_EMAIL,
    C_PAID_SEARCH,
    C_PAID_SOCIAL,
    C_SYNDICATION,
    C_WEBINAR,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE
from lead_funnel_tools.generator.world import World

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

JOURNEY_CHANNELS = np.array([C_EMAIL, C_WEBINAR, C_SYNDICATION, C_PAID_SOCIAL, C_PAID_SEARCH])
# touch channel weights (in JOURNEY_CHANNELS order) per kind of window
_NURTURE = (0.36, 0.18, 0.16, 0.16, 0.14)  # a handoff that sales will not take further
_BUYER = (0.22, 0.34, 0.10, 0.12, 0.22)  # a cycle that reaches SQL
_FAST = (0.14, 0.08, 0.08, 0.34, 0.36)  # paid ads before a demo request
_NO_CYCLE = (0.45, 0.12, 0.23, 0.12, 0.08)
# mean touches per window, and the cap
_MEAN = {"nurture": 1.4, "buyer": 2.2, "fast": 1.6, "no_cycle": 0.8}
MAX_TOUCHES = 6
NO_CYCLE_DAYS = 90


@dataclass(frozen=True)
class Journeys:
    """Journey touches of one block's leads, sorted by lead then time."""

    lead: IntArray  # local lead index
    t: IntArray  # response time (epoch seconds)
    channel: IntArray
    campaign: IntArray  # calendar index
    via_marketo: BoolArray  # email: a Marketo program success instead of a campaign member

    def __len__(self) -> int:
        return len(self.lead)


def _windows(block: Block) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(lead, window start, window end, kind code) of every journey window of the block."""
    p = block.people
    cy = block.funnel.cycles
    lead = np.asarray(cy["lead"], dtype=np.int64)
    number = np.asarray(cy["number"], dtype=np.int64)
    order = np.lexsort((number, lead))
    lead, number = lead[order], number[order]
    t_mql = np.asarray(cy["t"], dtype=np.int64)[order]
    close = np.asarray(cy["close"], dtype=np.int64)[order]
    same_prev = np.r_[False, lead[1:] == lead[:-1]]
    prev_close = np.where(same_prev, np.r_[0, close[:-1]], p.created[lead])
    start = np.maximum(prev_close, p.created[lead]) + HOUR
    end = t_mql - 10 * MINUTE
    kind = np.where(
        np.asarray(cy["lane"])[order] == LANE_FAST,
        2,
        np.where(np.asarray(cy["sql"], dtype=bool)[order], 1, 0),
    )
    never = np.ones(len(p), dtype=bool)
    never[lead] = False
    quiet = np.flatnonzero(never)
    return (
        np.concatenate([lead, quiet]),
        np.concatenate([start, p.created[quiet] + HOUR]),
        np.concatenate([end, p.created[quiet] + NO_CYCLE_DAYS * DAY]),
        np.concatenate([kind, np.full(len(quiet), 3, dtype=np.int64)]),
    )


def simulate_journeys(world: World, block: Block) -> Journeys:
    """The journey touches of a block (the same every time it is called for the block)."""
    rng = stream(block.spec.seed, "block", block.spec.index, "journeys")
    lead, start, end, kind = _windows(block)
    span = end - start
    means = np.array([_MEAN["nurture"], _MEAN["buyer"], _MEAN["fast"], _MEAN["no_cycle"]])
    count = np.minimum(rng.poisson(means[kind]), MAX_TOUCHES)
    count = np.where(span > HOUR, count, 0)
    rows, _ = concat_index(count)
    t = start[rows] + (rng.random(len(rows)) * span[rows]).astype(np.int64)
    weights = np.array([_NURTURE, _BUYER, _FAST, _NO_CYCLE])
    cumulative = np.cumsum(weights, axis=1)[kind[rows]]
    u = rng.random(len(rows))[:, None] * cumulative[:, -1:]
    pick = np.minimum((cumulative < u).sum(axis=1), len(JOURNEY_CHANNELS) - 1)
    channel = JOURNEY_CHANNELS[pick]
    touch_lead = lead[rows]
    p = block.people
    via_marketo = channel == C_EMAIL
    keep = ~via_marketo | p.has_twin[touch_lead]
    touch_lead, t, channel, via_marketo = (
        touch_lead[keep],
        t[keep],
        channel[keep],
        via_marketo[keep],
    )
    campaign = assign(rng, world.calendar, channel, t)
    # one response per lead and campaign, never the lead's own acquisition campaign
    order = np.lexsort((t, campaign, touch_lead))
    touch_lead, t, channel, campaign, via_marketo = (
        a[order] for a in (touch_lead, t, channel, campaign, via_marketo)
    )
    first = np.r_[True, (touch_lead[1:] != touch_lead[:-1]) | (campaign[1:] != campaign[:-1])]
    keep = first & (campaign != p.campaign[touch_lead])
    touch_lead, t, channel, campaign, via_marketo = (
        a[keep] for a in (touch_lead, t, channel, campaign, via_marketo)
    )
    order = np.lexsort((t, touch_lead))
    return Journeys(*(a[order] for a in (touch_lead, t, channel, campaign, via_marketo)))
