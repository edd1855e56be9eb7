"""The sales and marketing org: roles, reps in several time zones, the MAP sync user.

Forty reps (26 SDRs who own leads, 14 AEs who own opportunities and accounts) sit in six
IANA zones; each SDR has a responsiveness (median working hours to review an MQL and to touch
an accepted lead). Most review within a working day; four slow SDRs regularly do not, which
is where the SLA breaches come from. Marketing users upload event lists and mark manual MQLs;
one integration user ("Marketo Sync", role ``Integration``) makes every score-lane MQL change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    FIRST_NAMES,
    LAST_NAMES,
    ROLE_AE,
    ROLE_INTEGRATION,
    ROLE_MANAGER,
    ROLE_MARKETING,
    ROLE_SDR,
    TZ_REGION,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# (role, count, time zone codes cycled)
_ORG = (
    (ROLE_MANAGER, 3, (0, 3, 5)),
    (ROLE_SDR, 26, (0, 0, 1, 2, 3, 4, 0, 1, 2, 3, 5, 0, 2)),
    (ROLE_AE, 14, (0, 1, 2, 3, 4, 5, 0)),
    (ROLE_MARKETING, 5, (0, 3, 0, 1, 4)),
    (ROLE_INTEGRATION, 1, (0,)),
)
_TITLES = {
    ROLE_MANAGER: "Sales Manager",
    ROLE_SDR: "Sales Development Representative",
    ROLE_AE: "Account Executive",
    ROLE_MARKETING: "Marketing Operations Manager",
    ROLE_INTEGRATION: "Integration User",
}
_DEPARTMENTS = {
    ROLE_MANAGER: "Sales",
    ROLE_SDR: "Sales",
    ROLE_AE: "Sales",
    ROLE_MARKETING: "Marketing",
    ROLE_INTEGRATION: "IT",
}
SLOW_SDRS = 4


@dataclass(frozen=True)
class Org:
    """Users as parallel arrays (index = user code; ``user.id`` number = code + 1)."""

    role: IntArray
    tz: IntArray
    region: IntArray
    manager: IntArray  # user code of the manager, -1 for none
    name: tuple[str, ...]
    title: tuple[str, ...]
    department: tuple[str, ...]
    is_active: npt.NDArray[np.bool_]
    review_median_wh: FloatArray  # SDRs: median working hours to decide on an MQL
    touch_median_wh: FloatArray  # SDRs: median working hours to the first touch
    off_hours_share: FloatArray

    def of_role(self, role: int) -> IntArray:
        return np.flatnonzero(self.role == role)

    @property
    def integration_user(self) -> int:
        return int(self.of_role(ROLE_INTEGRATION)[0])


def build_org(seed: int) -> Org:
    """The fixed org of a world: the same users for every block and every append."""
    rng = stream(seed, "org")
    roles, tzs = [], []
    for role, count, zones in _ORG:
        roles += [role] * count
        tzs += [zones[i % len(zones)] for i in range(count)]
    role = np.array(roles, dtype=np.int64)
    tz = np.array(tzs, dtype=np.int64)
    region = np.array(TZ_REGION, dtype=np.int64)[tz]
    n = len(role)
    managers = np.flatnonzero(role == ROLE_MANAGER)
    manager = np.full(n, -1, dtype=np.int64)
    sales = (role == ROLE_SDR) | (role == ROLE_AE)
    manager[sales] = managers[np.minimum(region[sales], len(managers) - 1)]
    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    name = tuple(f"{FIRST_NAMES[a]} {LAST_NAMES[b]}" for a, b in zip(first, last, strict=True))
    name = tuple(
        "Marketo Sync" if r == ROLE_INTEGRATION else x for r, x in zip(role, name, strict=True)
    )
    review = np.where(role == ROLE_SDR, rng.uniform(1.0, 4.0, n), 2.0)
    touch = np.where(role == ROLE_SDR, rng.uniform(0.8, 3.0, n), 2.0)
    sdrs = np.flatnonzero(role == ROLE_SDR)
    slow = sdrs[rng.permutation(len(sdrs))[:SLOW_SDRS]]
    review[slow] = rng.uniform(9.0, 14.0, SLOW_SDRS)
    touch[slow] = rng.uniform(6.0, 10.0, SLOW_SDRS)
    active = np.ones(n, dtype=bool)
    active[sdrs[-1]] = False  # a rep who left: still owns old leads
    return Org(
        role=role,
        tz=tz,
        region=region,
        manager=manager,
        name=name,
        title=tuple(_TITLES[int(r)] for r in role),
        department=tuple(_DEPARTMENTS[int(r)] for r in role),
        is_active=active,
        review_median_wh=review,
        touch_median_wh=touch,
        off_hours_share=np.where(role == ROLE_SDR, rng.uniform(0.03, 0.15, n), 0.05),
    )


def pick_by_region(rng: np.random.Generator, org: Org, role: int, region: IntArray) -> IntArray:
    """A user of ``role`` per row, from the row's region (Americas, EMEA, APAC)."""
    pool = org.of_role(role)
    out = np.empty(len(region), dtype=np.int64)
    for r in range(3):
        rows = np.flatnonzero(region == r)
        candidates = pool[org.region[pool] == r]
        if len(candidates) == 0:
            candidates = pool
        out[rows] = candidates[rng.integers(0, len(candidates), len(rows))]
    return out
