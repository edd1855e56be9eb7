"""The companies leads work for, and the CRM accounts that already exist.

A world has a pool of companies (about one per three leads) with an industry, a size, a
revenue, a country and a unique web domain; every lead of a company shares that domain, so
the pipeline can group people into accounts. Bigger companies produce more leads (buying
committees: several people of one company engage in the same weeks). A few per cent of the
pool are accounts the CRM already holds: target prospects and existing customers (leads from a
customer's domain are often rejected as ``Existing customer``). Universities host the students.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from lead_funnel_tools.generator.rng import choice, stream
from lead_funnel_tools.generator.vocab import (
    COMPANY_SUFFIXES,
    COMPANY_WORDS_A,
    COMPANY_WORDS_B,
    COUNTRIES,
    EMPLOYEE_BANDS,
    I_EDUCATION,
    INDUSTRIES,
    UNIVERSITY_NAMES,
)
from lead_funnel_tools.generator.worktime import DAY

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

ACCOUNT_NONE, ACCOUNT_TARGET, ACCOUNT_CUSTOMER = 0, 1, 2
_TLD = (".com", ".com", ".co.uk", ".de", ".fr", ".nl", ".ie", ".com.au", ".in", ".com.br")
_TLD_BY_COUNTRY = (0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1)


@dataclass(frozen=True)
class Companies:
    """The company pool as parallel arrays (index = company code; account id = code + 1)."""

    industry: IntArray
    employees: IntArray
    revenue: FloatArray
    country: IntArray
    region: IntArray
    is_university: npt.NDArray[np.bool_]
    account_kind: IntArray
    account_created: IntArray  # pre-existing accounts: creation instant; else 0
    lead_weight: FloatArray  # relative number of leads the company produces
    name: pa.StringArray
    domain: pa.StringArray

    def __len__(self) -> int:
        return len(self.industry)


def _names(rng: np.random.Generator, n: int, university: npt.NDArray[np.bool_], country: IntArray):
    """Unique company names and domains built from word lists (vectorised in Arrow)."""
    order = rng.permutation(n)
    a = order % len(COMPANY_WORDS_A)
    b = (order // len(COMPANY_WORDS_A)) % len(COMPANY_WORDS_B)
    repeat = order // (len(COMPANY_WORDS_A) * len(COMPANY_WORDS_B))
    suffix = rng.integers(0, len(COMPANY_SUFFIXES), n)
    uni = rng.integers(0, len(UNIVERSITY_NAMES), n)
    word_a = pa.array(COMPANY_WORDS_A).take(pa.array(a))
    word_b = pa.array(COMPANY_WORDS_B).take(pa.array(b))
    rep = pc.if_else(pa.array(repeat > 0), pc.cast(pa.array(repeat + 1), pa.string()), "")
    base = pc.binary_join_element_wise(word_a, word_b, rep, " ")
    base = pc.utf8_trim(base, " ")
    company = pc.binary_join_element_wise(
        base, pa.array(COMPANY_SUFFIXES).take(pa.array(suffix)), " "
    )
    university_name = pc.binary_join_element_wise(
        word_a, pa.array(UNIVERSITY_NAMES).take(pa.array(uni)), " "
    )
    name = pc.if_else(pa.array(university), university_name, company)
    slug = pc.utf8_lower(pc.binary_join_element_wise(word_a, word_b, rep, ""))
    tld = pa.array(_TLD).take(pa.array(np.array(_TLD_BY_COUNTRY)[country]))
    domain = pc.if_else(
        pa.array(university),
        pc.binary_join_element_wise(slug, ".edu", ""),
        pc.binary_join_element_wise(slug, tld, ""),
    )
    return name, domain


def build_companies(seed: int, size: int, start: int) -> Companies:
    """The company pool of a world (depends only on the seed and the pool size)."""
    rng = stream(seed, "companies")
    n = max(400, size)
    university = rng.random(n) < 0.02
    industry = choice(rng, [w for _, _, w in INDUSTRIES], n)
    industry[university] = I_EDUCATION
    band = choice(rng, [b[4] for b in EMPLOYEE_BANDS], n)
    band[university] = 4
    low = np.array([b[1] for b in EMPLOYEE_BANDS], dtype=np.float64)[band]
    high = np.array([b[2] for b in EMPLOYEE_BANDS], dtype=np.float64)[band]
    employees = np.floor(np.exp(rng.uniform(np.log(low), np.log(high + 1)))).astype(np.int64)
    revenue = np.round(employees * np.exp(rng.normal(np.log(180_000), 0.6, n)), -3)
    country = choice(rng, [c[2] for c in COUNTRIES], n)
    region = np.array([c[3] for c in COUNTRIES], dtype=np.int64)[country]
    name, domain = _names(rng, n, university, country)
    kind = np.full(n, ACCOUNT_NONE, dtype=np.int64)
    u = rng.random(n)
    kind[u < 0.06] = ACCOUNT_TARGET
    kind[u < 0.02] = ACCOUNT_CUSTOMER
    kind[university] = ACCOUNT_NONE
    created = np.where(kind > 0, start - rng.integers(30, 900, n) * DAY, 0)
    weight = np.sqrt(employees) * rng.lognormal(0.0, 0.8, n)
    return Companies(
        industry=industry,
        employees=employees,
        revenue=revenue,
        country=country,
        region=region,
        is_university=university,
        account_kind=kind,
        account_created=created.astype(np.int64),
        lead_weight=weight,
        name=name,
        domain=domain,
    )
