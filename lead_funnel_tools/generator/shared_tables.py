"""Rows shared by all blocks: roles, users, campaigns, programs, accounts, activity types,
and each block's program memberships.

Campaigns are versioned: planned two weeks before they start (``actual_cost`` null), in
progress from the start date, completed three days after the end with the actual cost
(fixed part + price per lead x the leads it brought). Accounts exist before the window
(targets and customers) or are created when a company's first lead converts, and turn
``Customer`` at its first won deal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lead_funnel_tools.generator.block import Block
from lead_funnel_tools.generator.campaigns import Calendar
from lead_funnel_tools.generator.companies import ACCOUNT_CUSTOMER, ACCOUNT_NONE
from lead_funnel_tools.generator.journeys import simulate_journeys
from lead_funnel_tools.generator.landing import Frame, concat, sync_lags
from lead_funnel_tools.generator.marketo import MarketoPeople
from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    ACTIVITY_TYPES,
    C_EVENTS,
    C_WEBINAR,
    COUNTRIES,
    INDUSTRIES,
    ROLE_AE,
    ROLES,
    TIME_ZONES,
)
from lead_funnel_tools.generator.worktime import DAY
from lead_funnel_tools.generator.world import World
from lead_funnel_tools.generator.writer import codes, nullable

IntArray = npt.NDArray[np.int64]
USER_EXPRS = {
    "id": "sfid('005', user_num)",
    "manager_id": "sfid('005', manager_num)",
    "user_role_id": "sfid('00E', role_num)",
}
ROLE_EXPRS = {"id": "sfid('00E', role_num)", "parent_role_id": "sfid('00E', parent_num)"}
CAMPAIGN_EXPRS = {"id": "sfid('701', campaign_num)", "parent_id": "sfid('701', parent_num)"}
PROGRAM_EXPRS = {"sfdc_id": "sfid('701', campaign_num)"}
ACCOUNT_EXPRS = {
    "id": "sfid('001', account_num)",
    "owner_id": "sfid('005', user_num)",
    "website": "'https://www.' || domain",
}


@dataclass
class WorldFacts:
    """Per-company and per-campaign facts aggregated over every block of the world."""

    first_conversion: IntArray  # per company: first opportunity creation (0: none)
    first_win: IntArray  # per company: first won close (0: none)
    campaign_leads: IntArray  # per calendar campaign: leads it brought


def new_facts(world: World) -> WorldFacts:
    n = len(world.companies)
    return WorldFacts(np.zeros(n, np.int64), np.zeros(n, np.int64),
                      np.zeros(len(world.calendar.campaigns), np.int64))  # fmt: skip


def add_block_facts(facts: WorldFacts, block: Block) -> None:
    """Fold one block's conversions, wins and campaign leads into the world facts."""
    op = block.funnel.opps
    company = block.people.company[op["lead"]]
    big = np.iinfo(np.int64).max
    first = np.where(facts.first_conversion > 0, facts.first_conversion, big)
    np.minimum.at(first, company, op["created"])
    facts.first_conversion = np.where(first == big, 0, first)
    won = op["won"]
    first_win = np.where(facts.first_win > 0, facts.first_win, big)
    np.minimum.at(first_win, company[won], op["close"][won])
    facts.first_win = np.where(first_win == big, 0, first_win)
    facts.campaign_leads += np.bincount(block.people.campaign, minlength=len(facts.campaign_leads))


def _static(t: int, n: int, seed: int, salt: str) -> dict[str, np.ndarray]:
    return {
        "__key": np.arange(n, dtype=np.int64),
        "__t": np.full(n, t, dtype=np.int64),
        "__lag": sync_lags(stream(seed, "shared", salt), n, 0.0),
    }


def role_rows(world: World) -> Frame:
    n = len(ROLES)
    parent = np.array([5, 5, -1, -1, -1])
    frame: Frame = {
        "role_num": np.arange(1, n + 1),
        "name": codes(np.arange(n), ROLES),
        "parent_num": nullable(np.maximum(parent, 0), parent < 0),
    }
    frame.update(_static(world.spec.start_s - 400 * DAY, n, world.spec.seed, "roles"))
    return frame


def user_rows(world: World) -> Frame:
    org = world.org
    n = len(org.role)
    frame: Frame = {
        "user_num": np.arange(1, n + 1),
        "name": pa.array(list(org.name)),
        "email": pa.array([f"{x.lower().replace(' ', '.')}@example-saas.com" for x in org.name]),
        "title": pa.array(list(org.title)),
        "department": pa.array(list(org.department)),
        "manager_num": nullable(org.manager + 1, org.manager < 0),
        "role_num": org.role + 1,
        "time_zone_sid_key": codes(org.tz, _zones()),
        "is_active": org.is_active,
        "_fivetran_deleted": np.zeros(n, dtype=bool),
    }
    frame.update(_static(world.spec.start_s - 365 * DAY, n, world.spec.seed, "users"))
    return frame


def _zones() -> tuple[str, ...]:
    return TIME_ZONES


def campaign_versions(world: World, facts: WorldFacts) -> tuple[Frame, Frame]:
    """Campaign versions (planned, in progress, completed) and their Marketo programs."""
    cal: Calendar = world.calendar
    m = len(cal.campaigns)
    start = np.array([c.start for c in cal.campaigns], dtype=np.int64)
    end = cal.end
    cost = np.array(
        [
            c.fixed_cost + c.per_lead_cost * n
            for c, n in zip(cal.campaigns, facts.campaign_leads, strict=True)
        ]
    )
    budget = np.round(np.array([c.budget_factor for c in cal.campaigns]) * cost, -2)
    idx = np.repeat(np.arange(m), 3)
    version = np.tile(np.arange(3), m)
    t = np.select(
        [version == 0, version == 1], [start[idx] - 14 * DAY, start[idx]], end[idx] + 3 * DAY
    )
    statuses = ("Planned", "In Progress", "Completed")
    names = pa.array([c.name for c in cal.campaigns])
    number = cal.number
    frame: Frame = {
        "campaign_num": number[idx],
        "name": names.take(pa.array(idx)),
        "type": pa.array([c.type for c in cal.campaigns]).take(pa.array(idx)),
        "status": codes(version, statuses),
        "start_date": start[idx],
        "end_date": end[idx],
        "budgeted_cost": budget[idx],
        "actual_cost": np.where(version == 2, np.round(cost[idx], 2), np.nan),
        "parent_num": nullable(np.zeros(len(idx), np.int64), np.ones(len(idx), bool)),
        "is_deleted": np.zeros(len(idx), dtype=bool),
        "__key": number[idx],
        "__t": t,
        "__lag": sync_lags(stream(world.spec.seed, "shared", "campaigns"), len(idx), 0.0),
    }
    programs = [cal.program(i) for i in range(m)]
    p_idx = np.repeat(np.arange(m), 2)
    p_version = np.tile(np.arange(2), m)
    p_t = np.where(p_version == 0, start[p_idx] - 14 * DAY, end[p_idx] + 3 * DAY)
    program: Frame = {
        "id": number[p_idx],
        "name": names.take(pa.array(p_idx)),
        "type": pa.array([p[0] for p in programs]).take(pa.array(p_idx)),
        "channel": pa.array([p[1] for p in programs]).take(pa.array(p_idx)),
        "status": codes(p_version, ("Active", "Inactive")),
        "campaign_num": number[p_idx],
        "created_at": start[p_idx] - 14 * DAY,
        "updated_at": p_t,
        "_fivetran_deleted": np.zeros(len(p_idx), dtype=bool),
        "__key": number[p_idx],
        "__t": p_t,
        "__lag": sync_lags(stream(world.spec.seed, "shared", "programs"), len(p_idx), 0.0),
    }
    return frame, program


def account_versions(world: World, facts: WorldFacts) -> Frame:
    """Accounts: pre-existing ones, those created at a first conversion, customers on a win."""
    comp = world.companies
    created = np.where(
        comp.account_kind != ACCOUNT_NONE, comp.account_created, facts.first_conversion
    )
    exists = created > 0
    win = facts.first_win > 0
    becomes_customer = exists & win & (comp.account_kind != ACCOUNT_CUSTOMER)
    accounts = np.concatenate([np.flatnonzero(exists), np.flatnonzero(becomes_customer)])
    version = np.concatenate(
        [np.zeros(int(exists.sum())), np.ones(int(becomes_customer.sum()))]
    ).astype(np.int64)
    order = np.lexsort((version, accounts))
    accounts, version = accounts[order], version[order]
    t = np.where(version == 0, created[accounts], facts.first_win[accounts])
    customer = (version == 1) | (comp.account_kind[accounts] == ACCOUNT_CUSTOMER)
    aes = world.org.of_role(ROLE_AE)
    frame: Frame = {
        "account_num": accounts + 1,
        "name": comp.name.take(pa.array(accounts)),
        "user_num": aes[accounts % len(aes)] + 1,
        "industry": codes(comp.industry[accounts], [i[0] for i in INDUSTRIES]),
        "number_of_employees": comp.employees[accounts],
        "annual_revenue": comp.revenue[accounts],
        "billing_country": codes(comp.country[accounts], [c[0] for c in COUNTRIES]),
        "type": codes(customer.astype(np.int64), ("Prospect", "Customer")),
        "domain": comp.domain.take(pa.array(accounts)),
        "created_date": created[accounts],
        "is_deleted": np.zeros(len(accounts), dtype=bool),
        "__key": accounts + 1,
        "__t": t,
        "__lag": sync_lags(stream(world.spec.seed, "shared", "accounts"), len(accounts), 0.0),
    }
    return frame


def activity_type_rows(world: World) -> Frame:
    n = len(ACTIVITY_TYPES)
    frame: Frame = {
        "id": np.array([a[0] for a in ACTIVITY_TYPES], dtype=np.int64),
        "name": pa.array([a[1] for a in ACTIVITY_TYPES]),
        "description": pa.array([a[2] for a in ACTIVITY_TYPES]),
    }
    frame.update(_static(world.spec.start_s - 1000 * DAY, n, world.spec.seed, "activity_types"))
    return frame


def membership_versions(world: World, block: Block, mp: MarketoPeople) -> Frame:
    """Each Marketo person in its acquisition program; webinar registrants change status live."""
    parts_mk, parts_t, parts_status, parts_prog, parts_min, parts_join = [], [], [], [], [], []
    for persons in (mp.twins, mp.only):
        p = persons.people
        rows = persons.rows
        ch = p.channel[rows]
        first = np.where(ch == C_WEBINAR, 1, np.where(ch == C_EVENTS, 2, 0))
        parts_mk.append(persons.mk_id)
        parts_t.append(persons.created)
        parts_status.append(first)
        parts_prog.append(p.campaign[rows])
        parts_min.append(np.full(len(rows), -1))
        parts_join.append(persons.created)
        live = (ch == C_WEBINAR) & (p.event_at[rows] > 0)
        if persons is mp.twins:
            parts_mk.append(persons.mk_id[live])
            parts_t.append(np.maximum(p.event_at[rows][live], persons.created[live]) + 2 * 3600)
            attended = p.webinar_attended[rows][live]
            parts_status.append(np.where(attended, 2, 3))
            parts_prog.append(p.campaign[rows][live])
            parts_min.append(np.where(attended, p.webinar_minutes[rows][live], 0))
            parts_join.append(persons.created[live])
    mk = np.concatenate(parts_mk)
    t = np.concatenate(parts_t)
    status = np.concatenate(parts_status)
    prog = np.concatenate(parts_prog)
    minutes = np.concatenate(parts_min)
    join = np.concatenate(parts_join)
    order = np.lexsort((t, mk))
    mk, t, status, prog, minutes = mk[order], t[order], status[order], prog[order], minutes[order]
    join = join[order]
    statuses = ("Member", "Registered", "Attended", "No Show")
    frame: Frame = {
        "lead_id": mk,
        "program_id": world.calendar.number[prog],
        "progression_status": codes(status, statuses),
        "membership_date": join,
        "reached_success": status == 2,
        "attended_minutes_c": nullable(np.maximum(minutes, 0), minutes < 0),
        "__key": mk,
        "__t": t,
        "__lag": sync_lags(
            stream(block.spec.seed, "block", block.spec.index, "lag", "membership"), len(mk)
        ),
    }
    return concat([frame, _nurture_memberships(world, block)])


NURTURE_KEY_BASE = 1 << 40  # membership keys of nurture clicks, apart from the person keys


def _nurture_memberships(world: World, block: Block) -> Frame:
    """Newsletter programs a lead reached success in (a click) along its journey."""
    j = simulate_journeys(world, block)
    rows = np.flatnonzero(j.via_marketo)
    mk = block.mkto_base + j.lead[rows]
    statuses = ("Member", "Registered", "Attended", "No Show", "Clicked")
    frame: Frame = {
        "lead_id": mk,
        "program_id": world.calendar.number[j.campaign[rows]],
        "progression_status": codes(np.full(len(rows), 4, dtype=np.int64), statuses),
        "membership_date": j.t[rows] - DAY,
        "reached_success": np.ones(len(rows), dtype=bool),
        "attended_minutes_c": nullable(
            np.zeros(len(rows), dtype=np.int64), np.ones(len(rows), dtype=bool)
        ),
        "__key": NURTURE_KEY_BASE + block.spec.index * 10**9 + rows,
        "__t": j.t[rows],
        "__lag": sync_lags(
            stream(block.spec.seed, "block", block.spec.index, "lag", "nurture"), len(rows)
        ),
    }
    return frame
