"""One block of the world, simulated end to end (people, funnel, bad input, Marketo people)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from lead_funnel_tools.generator.bad_input import (
    LeadBadInput,
    choose_lead_bad_input,
    corrupt_attributes,
    legacy_status_events,
)
from lead_funnel_tools.generator.funnel import Funnel, order_status, simulate_funnel
from lead_funnel_tools.generator.people import (
    DOMAIN_COMPETITOR,
    DOMAIN_PERSONAL,
    People,
    build_people,
)
from lead_funnel_tools.generator.vocab import (
    COMPETITOR_DOMAINS,
    COMPETITOR_NAMES,
    FIRST_NAMES,
    LAST_NAMES,
    MALFORMED_EMAILS,
    PERSONAL_DOMAINS,
    ROLE_MARKETING,
)
from lead_funnel_tools.generator.world import (
    ID_BLOCK,
    ID_EXTRA,
    MKTO_BASE,
    MKTO_BLOCK,
    BlockSpec,
    World,
)

IntArray = npt.NDArray[np.int64]


@dataclass
class Block:
    """A simulated block: its leads, their lifecycle and the bad input chosen for it."""

    spec: BlockSpec
    people: People
    funnel: Funnel
    bad: LeadBadInput
    email: pa.Array  # per lead
    company_name: pa.Array  # per lead, as typed
    opp_of_lead: IntArray  # opportunity index per lead (-1: none)

    @property
    def id_base(self) -> int:
        return (self.spec.index + 1) * ID_BLOCK

    @property
    def extra_base(self) -> int:
        return self.id_base + ID_EXTRA

    @property
    def mkto_base(self) -> int:
        return MKTO_BASE + self.spec.index * MKTO_BLOCK

    def lead_num(self, local: IntArray) -> IntArray:
        return self.id_base + np.asarray(local, dtype=np.int64)


def emails(world: World, people: People) -> tuple[pa.Array, pa.Array]:
    """E-mail addresses and typed company names (Arrow string arrays, one per person)."""
    n = len(people)
    first = pa.array(FIRST_NAMES).take(pa.array(people.first))
    last = pa.array(LAST_NAMES).take(pa.array(people.last))
    number = pc.if_else(
        pa.array(people.email_number > 0), pc.cast(pa.array(people.email_number), pa.string()), ""
    )
    local = pc.utf8_lower(pc.binary_join_element_wise(first, ".", last, number, ""))
    local = pc.replace_substring_regex(local, "[^a-z0-9.]", "")
    company_domain = world.companies.domain.take(pa.array(people.company))
    personal = pa.array(PERSONAL_DOMAINS).take(pa.array(people.personal_domain))
    competitor_idx = people.personal_domain % len(COMPETITOR_DOMAINS)
    competitor = pa.array(COMPETITOR_DOMAINS).take(pa.array(competitor_idx))
    domain = pc.if_else(
        pa.array(people.domain_kind == DOMAIN_PERSONAL),
        personal,
        pc.if_else(pa.array(people.domain_kind == DOMAIN_COMPETITOR), competitor, company_domain),
    )
    email = pc.binary_join_element_wise(local, domain, "@")
    malformed = people.malformed_email >= 0
    bad = pa.array(MALFORMED_EMAILS).take(pa.array(np.maximum(people.malformed_email, 0)))
    email = pc.if_else(pa.array(malformed), bad, email)
    company = world.companies.name.take(pa.array(people.company))
    company = pc.if_else(
        pa.array(people.domain_kind == DOMAIN_COMPETITOR),
        pa.array(COMPETITOR_NAMES).take(pa.array(competitor_idx)),
        company,
    )
    assert len(email) == n
    return email, company


def simulate_block(world: World, spec: BlockSpec) -> Block:
    """People -> attribute bad input -> funnel -> lead-level bad input, for one block."""
    seed = spec.seed
    people = build_people(
        seed, spec.index, spec.leads, spec.t_from, spec.t_to, world.org, world.companies,
        world.calendar,
    )  # fmt: skip
    corrupt_attributes(seed, spec.index, people, world.spec.bad_rate)
    funnel = simulate_funnel(seed, spec.index, people, world.org)
    n = len(people)
    cycles = np.bincount(funnel.cycles["lead"], minlength=n)
    events = np.bincount(funnel.status["lead"], minlength=n)
    bad = choose_lead_bad_input(seed, spec.index, people, cycles, events, world.spec.bad_rate)
    marketing = world.org.of_role(ROLE_MARKETING)
    legacy = legacy_status_events(seed, spec.index, people, bad, marketing)
    status = {k: np.concatenate([v, legacy[k]]) for k, v in funnel.status.items()}
    funnel.status = order_status(status)
    opp_of_lead = np.full(n, -1, dtype=np.int64)
    opp_of_lead[funnel.opps["lead"]] = np.arange(len(funnel.opps["lead"]))
    email, company = emails(world, people)
    return Block(spec, people, funnel, bad, email, company, opp_of_lead)
