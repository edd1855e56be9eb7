"""New leads of one block: who they are, where they came from, how well they fit.

Each lead gets a channel (and a ``lead_source`` text of that channel), a creation time shaped
by the channel (weekday/daytime inbound traffic, weekly content-syndication uploads, list
imports after a trade show, registrations before a webinar), a company from the pool (so
colleagues share the email domain), a title, and an owner SDR from the company's region.

Not every engaged lead is a buyer: students, interns and consultants (titles the seeds'
title rules catch), competitors (competitor email domains), people on personal email domains,
companies outside the service area and very small companies are generated on purpose; the
funnel treats them as sales would. Fit points follow ``seeds/icp_fit_points.csv`` exactly, so a
scoring model can learn what drives acceptance and winning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.campaigns import Calendar, assign
from lead_funnel_tools.generator.companies import ACCOUNT_CUSTOMER, Companies
from lead_funnel_tools.generator.params import CHANNEL_PARAMS, WEBINAR_ATTEND_RATE
from lead_funnel_tools.generator.rng import choice, stream
from lead_funnel_tools.generator.users import Org, pick_by_region
from lead_funnel_tools.generator.vocab import (
    BUYER_TITLES,
    C_DEMO,
    C_EVENTS,
    C_OUTBOUND,
    C_PAID_SOCIAL,
    C_SYNDICATION,
    C_WEBINAR,
    CONSULTANT_TITLES,
    COUNTRIES,
    EMPLOYEE_BANDS,
    FIRST_NAMES,
    INDUSTRIES,
    INTERN_TITLES,
    LAST_NAMES,
    PERSONA_POINTS,
    REVENUE_BANDS,
    ROLE_SDR,
    SENIORITY_POINTS,
    SERVICE_AREA_POINTS,
    STUDENT_TITLES,
    TITLES,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE, week_start

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# junk traits (the strongest one per lead)
J_NONE, J_STUDENT, J_INTERN, J_CONSULTANT, J_COMPETITOR, J_PERSONAL = 0, 1, 2, 3, 4, 5
J_TERRITORY, J_SMALL, J_INVALID, J_CUSTOMER = 6, 7, 8, 9
DOMAIN_COMPANY, DOMAIN_PERSONAL, DOMAIN_COMPETITOR = 0, 1, 2

_HOUR_WEIGHTS = np.array(
    [2, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 10, 11, 11, 10, 9, 8, 7, 6, 5, 4, 3], dtype=float
)


@dataclass
class People:
    """The leads of one block as parallel arrays (index = the lead's local code)."""

    block: int
    created: IntArray
    channel: IntArray
    source: IntArray  # LEAD_SOURCES index
    campaign: IntArray  # calendar index
    company: IntArray
    domain_kind: IntArray
    personal_domain: IntArray
    first: IntArray
    last: IntArray
    email_number: IntArray  # 0: none; else appended to the local part
    title: IntArray
    junk: IntArray
    fit: FloatArray  # seed points
    fit_z: FloatArray
    industry: IntArray  # as entered, -1 = null
    employees: IntArray  # as entered, -1 = null
    revenue: FloatArray  # as entered, NaN = null
    country: IntArray
    owner: IntArray  # user code (an SDR)
    owner_tz: IntArray
    has_twin: BoolArray  # a Marketo lead linked by sfdc_lead_id
    webinar_attended: BoolArray
    webinar_minutes: IntArray
    event_at: IntArray  # webinar live time / trade show end (0 = none)
    malformed_email: IntArray  # MALFORMED_EMAILS index or -1

    def __len__(self) -> int:
        return len(self.created)


def _created(rng: np.random.Generator, n: int, t_from: int, t_to: int) -> IntArray:
    """Inbound arrival times: weekdays busier than weekends, daytime (US + Europe) busier."""
    days = max(1, (t_to - t_from) // DAY)
    day0 = t_from - t_from % DAY
    weekday = (np.arange(days) + (day0 // DAY + 3)) % 7
    w_day = np.where(weekday < 5, 1.0, 0.35)
    day = choice(rng, w_day, n)
    hour = choice(rng, _HOUR_WEIGHTS, n)
    t = day0 + day * DAY + hour * HOUR + rng.integers(0, HOUR, n)
    return np.clip(t, t_from, t_to - 1)


def _fit(companies: Companies, company: IntArray, title: IntArray, country: IntArray) -> FloatArray:
    """Fit points of the seeds' ICP rules from the lead's true attributes."""
    ind = np.array([p for _, p, _ in INDUSTRIES], dtype=float)[companies.industry[company]]
    emp = companies.employees[company]
    emp_points = np.array([b[3] for b in EMPLOYEE_BANDS], dtype=float)
    emp_band = np.searchsorted([b[2] for b in EMPLOYEE_BANDS[:-1]], emp, side="left")
    rev = companies.revenue[company]
    rev_band = np.searchsorted([b[2] for b in REVENUE_BANDS[:-1]], rev, side="left")
    rev_points = np.array([b[3] for b in REVENUE_BANDS], dtype=float)
    area = np.array([c[1] for c in COUNTRIES])[country] * SERVICE_AREA_POINTS
    seniority = np.array([SENIORITY_POINTS[t[1]] for t in TITLES], dtype=float)[title]
    persona = np.array([PERSONA_POINTS.get(t[2], 0) for t in TITLES], dtype=float)[title]
    return ind + emp_points[emp_band] + rev_points[rev_band] + area + seniority + persona


def _titles(rng: np.random.Generator, channel: IntArray) -> IntArray:
    """Titles: mostly buyer-side roles; students/interns heavier on paid social and content."""
    n = len(channel)
    title = np.array(BUYER_TITLES)[rng.integers(0, len(BUYER_TITLES), n)]
    # senior titles are rarer than practitioners: redraw half of the C-level/VP picks
    senior = title < 11
    redraw = senior & (rng.random(n) < 0.5)
    title[redraw] = rng.integers(11, len(BUYER_TITLES), int(redraw.sum()))
    junk_rate = np.where(np.isin(channel, [C_PAID_SOCIAL, C_SYNDICATION]), 0.10, 0.05)
    junk_rate = np.where(np.isin(channel, [C_OUTBOUND]), 0.01, junk_rate)
    u = rng.random(n)
    kinds = (STUDENT_TITLES, INTERN_TITLES, CONSULTANT_TITLES)
    shares = (0.3, 0.3, 0.4)
    lower = np.zeros(n)
    for pool, share in zip(kinds, shares, strict=True):
        pick = (u >= lower) & (u < lower + junk_rate * share)
        title[pick] = np.array(pool)[rng.integers(0, len(pool), int(pick.sum()))]
        lower = lower + junk_rate * share
    return title


def build_people(
    seed: int,
    block: int,
    n: int,
    t_from: int,
    t_to: int,
    org: Org,
    companies: Companies,
    calendar: Calendar,
    key: str = "people",
) -> People:
    """Simulate the ``n`` leads created in ``[t_from, t_to)`` by block ``block``."""
    rng = stream(seed, "block", block, key)
    shares = np.array([p.share for p in CHANNEL_PARAMS])
    channel = choice(rng, shares, n)
    created = _created(rng, n, t_from, t_to)
    source = np.zeros(n, dtype=np.int64)
    for c, p in enumerate(CHANNEL_PARAMS):
        rows = np.flatnonzero(channel == c)
        codes = np.array([s for s, _ in p.sources])
        source[rows] = codes[choice(rng, [w for _, w in p.sources], len(rows))]
    campaign = assign(rng, calendar, channel, created)
    event_end = calendar.event_at[campaign]
    # events: list imports a few days after the show; syndication: weekly uploads
    ev = (channel == C_EVENTS) & (event_end > 0)
    after = event_end[ev] + (rng.random(int(ev.sum())) ** 3 * 5 * DAY).astype(np.int64)
    created[ev] = np.maximum(t_from, np.minimum(after, created[ev]))
    cs = channel == C_SYNDICATION
    upload = week_start(created[cs]) + 10 * HOUR + rng.integers(0, 15 * MINUTE, int(cs.sum()))
    created[cs] = np.where(upload < t_from, upload + 7 * DAY, upload)
    order = np.argsort(created, kind="stable")
    channel, created, source, campaign = (
        channel[order],
        created[order],
        source[order],
        campaign[order],
    )

    title = _titles(rng, channel)
    student = np.isin(title, STUDENT_TITLES)
    company = choice(rng, companies.lead_weight, n)
    uni = np.flatnonzero(companies.is_university)
    if len(uni):
        company[student] = uni[rng.integers(0, len(uni), int(student.sum()))]
    country = companies.country[company].copy()
    domain_kind = np.full(n, DOMAIN_COMPANY, dtype=np.int64)
    u = rng.random(n)
    domain_kind[u < 0.07] = DOMAIN_PERSONAL
    domain_kind[(u >= 0.07) & (u < 0.075) & (channel != C_OUTBOUND)] = DOMAIN_COMPETITOR
    domain_kind[np.isin(title, STUDENT_TITLES) & (rng.random(n) < 0.6)] = DOMAIN_PERSONAL

    junk = np.full(n, J_NONE, dtype=np.int64)
    small = companies.employees[company] < 11
    in_area = np.array([c[1] for c in COUNTRIES])[country]
    customer = companies.account_kind[company] == ACCOUNT_CUSTOMER
    junk[customer & (rng.random(n) < 0.5)] = J_CUSTOMER
    junk[small] = J_SMALL
    junk[~in_area] = J_TERRITORY
    junk[domain_kind == DOMAIN_PERSONAL] = J_PERSONAL
    junk[np.isin(title, CONSULTANT_TITLES)] = J_CONSULTANT
    junk[np.isin(title, INTERN_TITLES)] = J_INTERN
    junk[student] = J_STUDENT
    junk[domain_kind == DOMAIN_COMPETITOR] = J_COMPETITOR

    fit = _fit(companies, company, title, country)
    fit_z = (fit - 45.0) / 14.0

    industry = companies.industry[company].copy()
    industry[rng.random(n) < 0.08] = -1
    employees = companies.employees[company].copy()
    employees[rng.random(n) < 0.12] = -1
    revenue = companies.revenue[company].astype(np.float64)
    revenue[rng.random(n) < 0.25] = np.nan

    region = np.array([c[3] for c in COUNTRIES], dtype=np.int64)[country]
    owner = pick_by_region(rng, org, ROLE_SDR, region)
    twin_rate = np.where(channel == C_OUTBOUND, 0.8, 0.97)
    attended = (channel == C_WEBINAR) & (rng.random(n) < WEBINAR_ATTEND_RATE + 0.1 * (fit_z > 0))
    minutes = np.where(attended, rng.integers(8, 61, n), 0)
    event_at = np.where(np.isin(channel, [C_WEBINAR, C_EVENTS]), calendar.event_at[campaign], 0)
    event_at = np.where((channel == C_WEBINAR) & (event_at < created), created + DAY, event_at)
    return People(
        block=block,
        created=created,
        channel=channel,
        source=source,
        campaign=campaign,
        company=company,
        domain_kind=domain_kind,
        personal_domain=rng.integers(0, 10, n),
        first=rng.integers(0, len(FIRST_NAMES), n),
        last=rng.integers(0, len(LAST_NAMES), n),
        email_number=np.where(rng.random(n) < 0.15, rng.integers(2, 99, n), 0),
        title=title,
        junk=junk,
        fit=fit,
        fit_z=fit_z,
        industry=industry,
        employees=employees,
        revenue=revenue,
        country=country,
        owner=owner,
        owner_tz=org.tz[owner],
        has_twin=(rng.random(n) < twin_rate) | (channel == C_DEMO),
        webinar_attended=attended,
        webinar_minutes=minutes,
        event_at=event_at,
        malformed_email=np.full(n, -1, dtype=np.int64),
    )
