"""The simulated world: its parameters, its blocks of leads and its shared entities.

A world is defined by the seed, the first day, the lead rate and the bad-input rate. Leads
are simulated in *blocks* (at most ``BLOCK_LEADS`` leads created in a time range, each with its
own random streams), so memory stays bounded and an append only adds blocks: the blocks
already written are re-simulated identically and only what they do after the old window end
lands. Users, companies and the campaign calendar are shared by all blocks.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from functools import cached_property

from lead_funnel_tools.generator.campaigns import Calendar, build_calendar
from lead_funnel_tools.generator.companies import Companies, build_companies
from lead_funnel_tools.generator.users import Org, build_org
from lead_funnel_tools.generator.worktime import DAY, to_seconds

BLOCK_LEADS = 50_000
CALENDAR_MARGIN_DAYS = 400
ID_BLOCK = 10**10  # Salesforce id numbers: (block + 1) * ID_BLOCK + local number
ID_EXTRA = 5 * 10**9  # offset of a block's secondary id range
MKTO_BASE = 1_000_000  # Marketo lead ids: MKTO_BASE + block * MKTO_BLOCK + local number
MKTO_BLOCK = 100_000
ACTIVITY_BLOCK = 10**10


@dataclass(frozen=True)
class BlockSpec:
    """``leads`` leads created in ``[t_from, t_to)`` with random streams keyed by ``index``."""

    index: int
    leads: int
    t_from: int
    t_to: int
    seed: int


@dataclass
class WorldSpec:
    """Everything needed to re-simulate the world (stored as JSON for ``append_days``)."""

    seed: int
    start: str  # ISO date
    leads: int  # leads of the initial generation
    days: int  # days of the initial generation
    bad_rate: float
    window_end: int  # epoch seconds: everything synced up to here is in the file
    blocks: list[BlockSpec] = field(default_factory=list)
    appends: int = 0

    @property
    def start_date(self) -> dt.date:
        return dt.date.fromisoformat(self.start)

    @property
    def start_s(self) -> int:
        return to_seconds(self.start_date)

    @property
    def leads_per_day(self) -> float:
        return self.leads / max(self.days, 1)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(text: str) -> WorldSpec:
        data = json.loads(text)
        data["blocks"] = [BlockSpec(**b) for b in data["blocks"]]
        return WorldSpec(**data)

    def add_blocks(self, leads: int, t_from: int, t_to: int, seed: int) -> list[BlockSpec]:
        """Split ``leads`` new leads of ``[t_from, t_to)`` into blocks of at most BLOCK_LEADS."""
        count = max(1, -(-leads // BLOCK_LEADS))
        span = t_to - t_from
        new = []
        first = len(self.blocks)
        for i in range(count):
            lo = t_from + span * i // count
            hi = t_from + span * (i + 1) // count
            n = leads * (i + 1) // count - leads * i // count
            new.append(BlockSpec(first + i, n, lo, hi, seed))
        self.blocks.extend(new)
        return new


class World:
    """A world spec plus its shared entities (built lazily, cached)."""

    def __init__(self, spec: WorldSpec) -> None:
        self.spec = spec

    @cached_property
    def org(self) -> Org:
        return build_org(self.spec.seed)

    @cached_property
    def companies(self) -> Companies:
        return build_companies(self.spec.seed, self.spec.leads // 3, self.spec.start_s)

    @cached_property
    def calendar(self) -> Calendar:
        horizon = self.spec.window_end + CALENDAR_MARGIN_DAYS * DAY
        return build_calendar(self.spec.seed, self.spec.start_date, horizon)
