"""The marketing calendar: campaigns per channel with realistic dates and costs.

Each channel runs campaigns on its own rhythm, generated period by period from the seed (so
extending the calendar for an append never changes an earlier campaign):

* monthly: organic content, paid search (the 15th to the 14th, so spend spans month
  boundaries), paid social (LinkedIn and Meta side by side), content syndication (two vendors
  that charge per lead), email newsletters;
* a webinar every two weeks, promoted for three weeks before the live date;
* one trade show or field event a month (expensive, one to three days; leads arrive after it);
* quarterly partner, referral, website-demo, outbound and podcast programmes.

``actual_cost`` is a fixed part plus a per-lead price times the leads the campaign brought,
and is posted when the campaign ends (running campaigns show it as null). Every campaign has a
Marketo program whose ``sfdc_id`` is the campaign id.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    C_DEMO,
    C_EMAIL,
    C_EVENTS,
    C_ORGANIC,
    C_OTHER,
    C_OUTBOUND,
    C_PAID_SEARCH,
    C_PAID_SOCIAL,
    C_PARTNER,
    C_REFERRAL,
    C_SYNDICATION,
    C_WEBINAR,
    CHANNELS,
    PARTNER_NAMES,
    SYNDICATION_VENDORS,
    TRADE_SHOWS,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, to_seconds

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_WEBINAR_TOPICS = (
    "Fixing the MQL Handoff",
    "Lead Scoring That Sales Trusts",
    "RevOps Metrics 101",
    "Benchmarks: B2B Funnel",
    "Intent Data in Practice",
)
# (program type, program channel) per channel
_PROGRAM = {
    C_ORGANIC: ("Default", "Website"),
    C_PAID_SEARCH: ("Default", "Paid Search"),
    C_PAID_SOCIAL: ("Default", "Social"),
    C_SYNDICATION: ("Default", "Content Syndication"),
    C_WEBINAR: ("Event", "Webinar"),
    C_EVENTS: ("Event", "Tradeshow"),
    C_EMAIL: ("Email", "Email Send"),
    C_PARTNER: ("Default", "Partner"),
    C_REFERRAL: ("Default", "Referral"),
    C_DEMO: ("Default", "Website"),
    C_OUTBOUND: ("Default", "Sales Outreach"),
    C_OTHER: ("Default", "Podcast"),
}


@dataclass
class Campaign:
    """One campaign (a plain record: the calendar holds a few hundred a year)."""

    number: int
    channel: int
    type: str
    name: str
    start: int  # first day, 00:00 UTC
    end: int  # last day, 00:00 UTC
    tile_start: int  # leads created from here (until the next tile) belong to it
    weight: float  # share among the channel's concurrent campaigns
    fixed_cost: float
    per_lead_cost: float
    budget_factor: float
    event_at: int  # webinars and events: when it happens (else 0)


@dataclass(frozen=True)
class Calendar:
    """All campaigns up to a horizon, plus per-channel lookup arrays."""

    campaigns: tuple[Campaign, ...]
    tile_start: dict[int, IntArray]  # channel -> sorted tile starts
    tile_first: dict[int, IntArray]  # channel -> index of the tile's first campaign
    tile_count: dict[int, IntArray]

    @property
    def number(self) -> IntArray:
        return np.array([c.number for c in self.campaigns], dtype=np.int64)

    @property
    def event_at(self) -> IntArray:
        return np.array([c.event_at for c in self.campaigns], dtype=np.int64)

    @property
    def end(self) -> IntArray:
        return np.array([c.end for c in self.campaigns], dtype=np.int64)

    def program(self, index: int) -> tuple[str, str]:
        return _PROGRAM[self.campaigns[index].channel]


def _month(start: dt.date, k: int) -> dt.date:
    total = start.year * 12 + start.month - 1 + k
    return dt.date(total // 12, total % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=cal.monthrange(day.year, day.month)[1])


def _label(day: dt.date) -> str:
    return day.strftime("%b %Y")


def _monthly(seed: int, start: dt.date, k: int) -> list[Campaign]:
    """The monthly campaigns of month ``k`` after the world's first month."""
    rng = stream(seed, "campaigns", "monthly", k)
    first = _month(start, k)
    last = _month_end(first)
    s, e = to_seconds(first), to_seconds(last)
    label = _label(first)
    base = k * 100
    fifteenth = to_seconds(first.replace(day=15))
    out = [
        Campaign(base + 1, C_ORGANIC, "Organic Search", f"SEO Content - {label}", s, e, s, 1.0,
                 float(rng.uniform(1500, 3000)), 0.0, 1.0, 0),
        Campaign(base + 2, C_PAID_SEARCH, "Paid Search", f"Google Ads - {label}", fifteenth,
                 to_seconds(_month(start, k + 1).replace(day=14)), fifteenth, 1.0,
                 500.0, float(rng.uniform(110, 170)), 1.0, 0),
        Campaign(base + 3, C_PAID_SOCIAL, "LinkedIn Ads", f"LinkedIn Ads - {label}", s, e, s, 0.6,
                 400.0, float(rng.uniform(90, 130)), 1.0, 0),
        Campaign(base + 4, C_PAID_SOCIAL, "Paid Social", f"Meta Ads - {label}", s, e, s, 0.4,
                 200.0, float(rng.uniform(50, 80)), 1.0, 0),
        Campaign(base + 7, C_EMAIL, "Email", f"Newsletter - {label}", s, e, s, 1.0,
                 float(rng.uniform(300, 800)), 0.0, 1.0, 0),
    ]  # fmt: skip
    vendors = rng.permutation(len(SYNDICATION_VENDORS))[:2]
    for j, v in enumerate(vendors):
        out.append(
            Campaign(base + 5 + j, C_SYNDICATION, "Content Syndication",
                     f"Content Syndication - {SYNDICATION_VENDORS[v]} - {label}", s, e, s,
                     0.5, 0.0, float(rng.uniform(35, 60)), 1.0, 0)
        )  # fmt: skip
    day = int(rng.integers(4, 20))
    length = int(rng.integers(1, 4))
    is_show = bool(rng.random() < 0.6)
    ev_start = s + day * DAY
    ev_end = ev_start + (length - 1) * DAY
    show = TRADE_SHOWS[int(rng.integers(0, len(TRADE_SHOWS)))]
    out.append(
        Campaign(base + 8, C_EVENTS, "Trade Show" if is_show else "Event",
                 f"{show} {first.year}" if is_show else f"Executive Dinner - {label}",
                 ev_start, ev_end, ev_end + DAY, 1.0,
                 float(rng.uniform(25_000, 70_000) if is_show else rng.uniform(5_000, 12_000)),
                 0.0, 1.0, ev_end + 17 * HOUR)
    )  # fmt: skip
    for c in out:
        c.budget_factor = float(rng.uniform(0.85, 1.2))
    return out


def _quarterly(seed: int, start: dt.date, q: int) -> list[Campaign]:
    """The quarterly programmes of quarter ``q``."""
    rng = stream(seed, "campaigns", "quarterly", q)
    first = _month(start, 3 * q)
    last = _month_end(_month(start, 3 * q + 2))
    s, e = to_seconds(first), to_seconds(last)
    label = f"Q{(first.month - 1) // 3 + 1} {first.year}"
    base = 50_000 + q * 100
    partner = PARTNER_NAMES[q % len(PARTNER_NAMES)]
    out = [
        Campaign(base + 1, C_PARTNER, "Partner", f"Partner - {partner} - {label}", s, e, s, 1.0,
                 float(rng.uniform(3000, 8000)), 0.0, 1.0, 0),
        Campaign(base + 2, C_REFERRAL, "Referral", f"Customer Referral Program - {label}", s, e,
                 s, 1.0, 500.0, 150.0, 1.0, 0),
        Campaign(base + 3, C_DEMO, "Website Demo Request", f"Website - Demo Requests - {label}",
                 s, e, s, 1.0, 300.0, 0.0, 1.0, 0),
        Campaign(base + 4, C_OUTBOUND, "Outbound", f"Outbound Sequences - {label}", s, e, s, 1.0,
                 float(rng.uniform(2000, 4000)), 0.0, 1.0, 0),
        Campaign(base + 5, C_OTHER, "Podcast", f"Podcast Sponsorship - {label}", s, e, s, 1.0,
                 float(rng.uniform(1000, 2500)), 0.0, 1.0, 0),
    ]  # fmt: skip
    for c in out:
        c.budget_factor = float(rng.uniform(0.85, 1.2))
    return out


def _webinar(seed: int, start: dt.date, k: int) -> Campaign:
    """Webinar ``k``: live every other Thursday; registrations since the previous one."""
    rng = stream(seed, "campaigns", "webinar", k)
    s0 = to_seconds(start)
    first_thursday = s0 + ((3 - (s0 // DAY + 3) % 7) % 7) * DAY
    live = first_thursday + 14 * DAY * (k + 1)
    topic = _WEBINAR_TOPICS[k % len(_WEBINAR_TOPICS)]
    day = dt.datetime.fromtimestamp(live, tz=dt.UTC).date()
    return Campaign(
        100_000 + k, C_WEBINAR, "Webinar", f"Webinar - {topic} - {day.isoformat()}",
        live - 21 * DAY, live, live - 14 * DAY + 17 * HOUR, 1.0, float(rng.uniform(1500, 4500)), 0.0,
        float(rng.uniform(0.85, 1.2)), live + 16 * HOUR,
    )  # fmt: skip


def build_calendar(seed: int, start: dt.date, horizon: int) -> Calendar:
    """Every campaign whose lead tile starts before ``horizon`` (epoch seconds)."""
    campaigns: list[Campaign] = []
    k = 0
    while to_seconds(_month(start, k)) < horizon:
        campaigns += _monthly(seed, start, k)
        k += 1
    q = 0
    while to_seconds(_month(start, 3 * q)) < horizon:
        campaigns += _quarterly(seed, start, q)
        q += 1
    w = 0
    while True:
        webinar = _webinar(seed, start, w)
        if webinar.tile_start >= horizon:
            break
        campaigns.append(webinar)
        w += 1
    campaigns.sort(key=lambda c: (c.channel, c.tile_start, c.number))
    tile_start, tile_first, tile_count = {}, {}, {}
    for channel in range(len(CHANNELS)):
        idx = [i for i, c in enumerate(campaigns) if c.channel == channel]
        starts = np.array([campaigns[i].tile_start for i in idx], dtype=np.int64)
        uniq, first, count = np.unique(starts, return_index=True, return_counts=True)
        tile_start[channel] = uniq
        tile_first[channel] = np.array(idx, dtype=np.int64)[first]
        tile_count[channel] = count.astype(np.int64)
    return Calendar(tuple(campaigns), tile_start, tile_first, tile_count)


def assign(
    rng: np.random.Generator, cal_: Calendar, channel: IntArray, created: IntArray
) -> IntArray:
    """The campaign (calendar index) of each lead: its channel's tile at its creation time."""
    out = np.zeros(len(channel), dtype=np.int64)
    weights = np.array([c.weight for c in cal_.campaigns], dtype=np.float64)
    for c in range(len(CHANNELS)):
        rows = np.flatnonzero(channel == c)
        starts = cal_.tile_start[c]
        tile = np.clip(np.searchsorted(starts, created[rows], side="right") - 1, 0, len(starts) - 1)
        first = cal_.tile_first[c][tile]
        count = cal_.tile_count[c][tile]
        pick = np.zeros(len(rows), dtype=np.int64)
        multi = count > 1
        if multi.any():
            u = rng.random(int(multi.sum()))
            w0 = weights[first[multi]]
            pick[multi] = (u >= w0).astype(np.int64)
        out[rows] = first + pick
    return out
