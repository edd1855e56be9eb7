"""Marketo people of one block and their lead rows.

Four kinds of Marketo person:

* the *twin* of a CRM lead (most leads; ``sfdc_lead_id`` links them, and after conversion
  ``sfdc_contact_id`` / ``sfdc_account_id``);
* Marketo-only people (newsletter and blog readers never synced to the CRM);
* *buying committees*: three to six contacts of one CRM account, each in a different
  department, all engaging in the same few weeks (linked by ``sfdc_contact_id`` and
  ``sfdc_account_id``; they are also written as Salesforce ``contact`` rows);
* duplicates of a twin that Marketo later merges into it (bad input).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lead_funnel_tools.generator.block import Block, emails
from lead_funnel_tools.generator.companies import ACCOUNT_NONE
from lead_funnel_tools.generator.landing import Frame, concat, sync_lags
from lead_funnel_tools.generator.people import DOMAIN_COMPANY, People, build_people
from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    COUNTRIES,
    DEPARTMENTS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    LEAD_SOURCE_TEXTS,
    PERSONA_DEPARTMENT,
    TITLES,
)
from lead_funnel_tools.generator.worktime import DAY, MINUTE, NULL_TIME
from lead_funnel_tools.generator.world import World
from lead_funnel_tools.generator.writer import codes, nullable

IntArray = npt.NDArray[np.int64]
K_TWIN, K_ONLY, K_COMMITTEE, K_LOSER = 0, 1, 2, 3
ONLY_SHARE = 0.10
COMMITTEE_LEADS_PER_EPISODE = 120
COMMITTEE_OFFSET = 30_000  # Marketo ids: twins, then Marketo-only, then committees
_PERSONAS = ("marketing", "sales", "revenue_operations", "technology", "finance", "executive")


@dataclass
class Persons:
    """One set of Marketo people built from a ``People`` (attributes) and link columns."""

    kind: int
    people: People
    rows: IntArray  # attribute rows in ``people``
    mk_id: IntArray
    created: IntArray
    email: pa.Array
    company: pa.Array
    lead_num: IntArray  # CRM lead link (-1: none)
    contact_num: IntArray  # CRM contact link (-1: none)
    account_num: IntArray  # CRM account link (-1: none)
    linked_at: IntArray  # when contact/account links appear (NULL_TIME: at creation)
    deleted_at: IntArray  # NULL_TIME: never
    episode_t: IntArray  # committee engagement start (0: none)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class MarketoPeople:
    twins: Persons
    only: Persons
    committee: Persons
    losers: Persons
    merge_winner_id: IntArray  # per loser: the surviving Marketo id
    merge_at: IntArray

    @property
    def all(self) -> tuple[Persons, ...]:
        return (self.twins, self.only, self.committee, self.losers)


def _null(n: int) -> IntArray:
    return np.full(n, NULL_TIME, dtype=np.int64)


def _twins(world: World, block: Block) -> Persons:
    p = block.people
    rows = np.flatnonzero(p.has_twin)
    rng = stream(block.spec.seed, "block", block.spec.index, "mkto", "twins")
    before = p.created[rows] - rng.integers(10, 5 * MINUTE, len(rows))
    after = p.created[rows] + rng.integers(5 * MINUTE, 15 * MINUTE, len(rows))
    created = np.where(p.channel[rows] == 10, after, np.maximum(before, block.spec.t_from))
    opp = block.opp_of_lead[rows]
    converted = opp >= 0
    deleted = _null(len(rows))
    hit = np.searchsorted(rows, block.bad.mkto_deleted)
    ok = (hit < len(rows)) & (rows[np.minimum(hit, len(rows) - 1)] == block.bad.mkto_deleted)
    deleted[hit[ok]] = block.bad.mkto_deleted_at[ok]
    return Persons(
        kind=K_TWIN,
        people=p,
        rows=rows,
        mk_id=block.mkto_base + rows,
        created=created,
        email=block.email.take(pa.array(rows)),
        company=block.company_name.take(pa.array(rows)),
        lead_num=block.lead_num(rows),
        contact_num=np.where(converted, block.id_base + opp, -1),
        account_num=np.where(converted, p.company[rows] + 1, -1),
        linked_at=np.where(converted, block.funnel.opps["created"][np.maximum(opp, 0)] if len(block.funnel.opps["created"]) else NULL_TIME, NULL_TIME),
        deleted_at=deleted,
        episode_t=np.zeros(len(rows), dtype=np.int64),
    )  # fmt: skip


def _only(world: World, block: Block) -> Persons:
    spec = block.spec
    n = max(1, round(spec.leads * ONLY_SHARE))
    p = build_people(spec.seed, spec.index, n, spec.t_from, spec.t_to, world.org,
                     world.companies, world.calendar, key="mkto_only")  # fmt: skip
    email, company = emails(world, p)
    rows = np.arange(n)
    return Persons(K_ONLY, p, rows, block.mkto_base + spec.leads + rows, p.created, email, company,
                   np.full(n, -1), np.full(n, -1), np.full(n, -1), _null(n), _null(n),
                   np.zeros(n, dtype=np.int64))  # fmt: skip


def _committee(world: World, block: Block) -> Persons:
    spec = block.spec
    rng = stream(spec.seed, "block", spec.index, "mkto", "committee")
    episodes = max(2, spec.leads // COMMITTEE_LEADS_PER_EPISODE)
    accounts = np.flatnonzero(world.companies.account_kind != ACCOUNT_NONE)
    ep_account = accounts[rng.integers(0, len(accounts), episodes)]
    size = rng.integers(3, 7, episodes)
    ep_t = rng.integers(spec.t_from, max(spec.t_from + 1, spec.t_to), episodes)
    ep = np.repeat(np.arange(episodes), size)
    rank = np.arange(len(ep)) - np.repeat(np.cumsum(size) - size, size)
    n = len(ep)
    p = build_people(spec.seed, spec.index, n, spec.t_from, spec.t_to, world.org,
                     world.companies, world.calendar, key="committee")  # fmt: skip
    persona_order = np.argsort(rng.random((episodes, len(_PERSONAS))), axis=1)
    persona = persona_order[ep, rank]
    title = np.zeros(n, dtype=np.int64)
    for i, name in enumerate(_PERSONAS):
        pool = np.array([j for j, t in enumerate(TITLES) if t[2] == name and t[3] == 0])
        hit = persona == i
        title[hit] = pool[rng.integers(0, len(pool), int(hit.sum()))]
    company = ep_account[ep]
    p.title, p.company = title, company
    p.domain_kind = np.full(n, DOMAIN_COMPANY, dtype=np.int64)
    p.country = world.companies.country[company]
    p.industry = world.companies.industry[company]
    p.employees = world.companies.employees[company]
    p.revenue = world.companies.revenue[company].astype(np.float64)
    p.malformed_email = np.full(n, -1, dtype=np.int64)
    t = ep_t[ep]
    p.created = np.maximum(spec.t_from, t - rng.integers(DAY, 20 * DAY, n))
    email, company_name = emails(world, p)
    rows = np.arange(n)
    contact = block.extra_base + rows
    return Persons(K_COMMITTEE, p, rows, block.mkto_base + spec.leads + COMMITTEE_OFFSET + rows,
                   p.created, email, company_name, np.full(n, -1), contact, company + 1, _null(n),
                   _null(n), t)  # fmt: skip


def _losers(world: World, block: Block, twins: Persons) -> tuple[Persons, IntArray, IntArray]:
    bad = block.bad
    winners = bad.mkto_merge_winner
    k = len(winners)
    rows = winners
    p = block.people
    mk = block.mkto_base + 90_000 + np.arange(k)
    persons = Persons(K_LOSER, p, rows, mk, bad.mkto_merge_created, block.email.take(pa.array(rows)),
                      block.company_name.take(pa.array(rows)), np.full(k, -1), np.full(k, -1),
                      np.full(k, -1), _null(k), bad.mkto_merge_at, np.zeros(k, dtype=np.int64))  # fmt: skip
    return persons, block.mkto_base + winners, bad.mkto_merge_at


def marketo_people(world: World, block: Block) -> MarketoPeople:
    """All Marketo people of a block."""
    twins = _twins(world, block)
    losers, winner_id, merge_at = _losers(world, block, twins)
    return MarketoPeople(twins, _only(world, block), _committee(world, block), losers, winner_id,
                         merge_at)  # fmt: skip


def _lead_frame(
    world: World, persons: Persons, salt: str, block_seed: int, block_index: int
) -> Frame:
    """Versions of Marketo lead rows: created, linked to a contact/account, deleted."""
    n = len(persons)
    if n == 0:
        return {}
    linked = persons.linked_at != NULL_TIME
    deleted = persons.deleted_at != NULL_TIME
    person = np.concatenate([np.arange(n), np.flatnonzero(linked), np.flatnonzero(deleted)])
    version = np.concatenate(
        [np.zeros(n), np.ones(int(linked.sum())), np.full(int(deleted.sum()), 2)]
    ).astype(np.int64)
    t_all = np.concatenate(
        [persons.created, persons.linked_at[linked], persons.deleted_at[deleted]]
    )
    order = np.lexsort((version, t_all, person))
    person, version, t = person[order], version[order], t_all[order]
    starts = np.r_[True, person[1:] != person[:-1]]
    link_idx = np.maximum.accumulate(np.where((version == 1) | starts, np.arange(len(person)), 0))
    is_linked = (version[link_idx] == 1) | (~linked[person] & (persons.account_num[person] >= 0))
    del_idx = np.maximum.accumulate(np.where((version == 2) | starts, np.arange(len(person)), 0))
    is_deleted = version[del_idx] == 2
    p = persons.people
    rows = persons.rows[person]
    rng = stream(block_seed, "block", block_index, "mkto", salt)
    industry = p.industry[rows]
    employees = p.employees[rows]
    contact = persons.contact_num[person]
    account = persons.account_num[person]
    mk = persons.mk_id[person]
    frame: Frame = {
        "id": mk,
        "email": persons.email.take(pa.array(person)),
        "first_name": codes(p.first[rows], FIRST_NAMES),
        "last_name": codes(p.last[rows], LAST_NAMES),
        "company": persons.company.take(pa.array(person)),
        "title": codes(p.title[rows], [x[0] for x in TITLES]),
        "industry": codes(industry, [i[0] for i in INDUSTRIES]),
        "number_of_employees": nullable(employees, employees < 0),
        "annual_revenue": p.revenue[rows],
        "country": codes(p.country[rows], [c[0] for c in COUNTRIES]),
        "lead_source": codes(p.source[rows], LEAD_SOURCE_TEXTS),
        "acquisition_program_id": world.calendar.number[p.campaign[rows]],
        "sfdc_lead_num": nullable(persons.lead_num[person], persons.lead_num[person] < 0),
        "sfdc_contact_num": nullable(contact, ~is_linked | (contact < 0)),
        "sfdc_account_num": nullable(account, ~is_linked | (account < 0)),
        "created_at": persons.created[person],
        "updated_at": t,
        "unsubscribed": (mk * 7919) % 100 < 4,
        "email_invalid": p.malformed_email[rows] >= 0,
        "_fivetran_deleted": is_deleted,
        "__key": mk,
        "__t": t,
    }
    frame["__lag"] = sync_lags(rng, len(person))
    return frame


MKTO_LEAD_EXPRS = {
    "sfdc_lead_id": "sfid('00Q', sfdc_lead_num)",
    "sfdc_contact_id": "sfid('003', sfdc_contact_num)",
    "sfdc_account_id": "sfid('001', sfdc_account_num)",
}


def marketo_lead_versions(world: World, block: Block, mp: MarketoPeople) -> Frame:
    frames = [
        _lead_frame(world, persons, f"lead{persons.kind}", block.spec.seed, block.spec.index)
        for persons in mp.all
    ]
    return concat(frames)


def committee_contacts(world: World, block: Block, mp: MarketoPeople) -> Frame:
    """Salesforce contact rows of the buying-committee people."""
    c = mp.committee
    n = len(c)
    p = c.people
    persona = [t[2] for t in TITLES]
    dept = np.array([PERSONA_DEPARTMENT[x] for x in persona])[p.title]
    region = np.array([x[3] for x in COUNTRIES], dtype=np.int64)[p.country]
    aes = world.org.of_role(1)
    owner = aes[(c.account_num + region) % len(aes)]
    frame: Frame = {
        "contact_num": c.contact_num,
        "account_num": c.account_num,
        "user_num": owner + 1,
        "email": c.email,
        "first_name": codes(p.first, FIRST_NAMES),
        "last_name": codes(p.last, LAST_NAMES),
        "title": codes(p.title, [t[0] for t in TITLES]),
        "department": codes(dept, DEPARTMENTS),
        "lead_source": codes(p.source, LEAD_SOURCE_TEXTS),
        "created_date": c.created,
        "is_deleted": np.zeros(n, dtype=bool),
        "__key": c.contact_num,
        "__t": c.created,
    }
    rng = stream(block.spec.seed, "block", block.spec.index, "lag", "committee_contact")
    frame["__lag"] = sync_lags(rng, n)
    return frame
