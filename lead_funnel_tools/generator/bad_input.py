"""Bad input, as real connectors land it, at ``bad_rate`` spread over ten kinds.

Kinds (each appears at least a few times even for 10k leads):

* ``resync_duplicate``: the same id twice, the later ``_fivetran_synced`` wins; a stale copy
  of a lead or opportunity carries its previous values;
* ``soft_delete``: ``is_deleted`` leads and tasks, ``_fivetran_deleted`` Marketo leads with an
  ``activity_delete_lead`` row;
* ``marketo_merge``: a duplicate Marketo person merged into the original
  (``activity_merge_leads.merge_ids``); the loser's activities stay under its old id;
* ``salesforce_merge``: a duplicate lead deleted with ``master_record_id`` = the survivor;
* ``unmapped_status`` (``Marketing Qualified - Legacy``) and ``unmapped_lead_source``
  (``Podcast``, ``Review Site``): values no seed maps;
* ``null_key``: copies of rows with a null ``id``;
* ``out_of_order``: a status history row dated before the lead was created; an opportunity
  closed (``close_date``) before it was created, without stage history;
* ``future_timestamp``: activity, task and lead times after the window end;
* ``malformed_email``: ``jane.doe@``, ``no-email``, ``a@b`` ...

Lead-level kinds are chosen when a block is simulated; row-level copies (duplicates, null
keys, future times) are chosen by a salted hash of the row's id, so the same rows are bad in
``generate`` and in every ``append_days``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.people import J_INVALID, People
from lead_funnel_tools.generator.rng import stream
from lead_funnel_tools.generator.vocab import (
    C_OTHER,
    C_OUTBOUND,
    LEAD_SOURCES,
    MALFORMED_EMAILS,
    S_LEGACY,
)
from lead_funnel_tools.generator.worktime import DAY, HOUR

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
KINDS = 10
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def kind_count(bad_rate: float, leads: int) -> int:
    """Leads per lead-level kind: ``bad_rate`` of the leads over ten kinds, at least three."""
    if bad_rate <= 0:
        return 0
    return max(3, round(bad_rate * leads / KINDS))


def hashed_pick(ids: np.ndarray, rate: float, salt: int) -> BoolArray:
    """A stable pseudo-random pick of ids at ``rate`` (no state: the same ids always)."""
    if rate <= 0 or len(ids) == 0:
        return np.zeros(len(ids), dtype=bool)
    with np.errstate(over="ignore"):
        x = np.asarray(ids).astype(np.uint64) * _GOLDEN + np.uint64(salt) * np.uint64(
            0xBF58476D1CE4E5B9
        )
        x ^= x >> np.uint64(31)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(29)
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53) < rate


@dataclass
class LeadBadInput:
    """The leads of a block chosen for lead-level bad input (local lead codes)."""

    count: int
    deleted: IntArray
    deleted_at: IntArray
    sf_merge_winner: IntArray
    sf_merge_created: IntArray
    sf_merge_at: IntArray
    mkto_merge_winner: IntArray
    mkto_merge_created: IntArray
    mkto_merge_at: IntArray
    mkto_deleted: IntArray
    mkto_deleted_at: IntArray
    legacy_status: IntArray
    out_of_order: IntArray
    future_modified: IntArray


def _pick(rng: np.random.Generator, pool: IntArray, k: int) -> IntArray:
    if len(pool) == 0 or k == 0:
        return np.zeros(0, dtype=np.int64)
    return np.sort(rng.choice(pool, size=min(k, len(pool)), replace=False)).astype(np.int64)


def corrupt_attributes(seed: int, block: int, people: People, bad_rate: float) -> None:
    """Before the funnel runs: unmapped lead sources and malformed e-mails (in place)."""
    k = kind_count(bad_rate, len(people))
    if k == 0:
        return
    rng = stream(seed, "block", block, "bad", "attributes")
    pool = np.flatnonzero(people.channel != C_OUTBOUND)
    podcast = _pick(rng, pool, k)
    people.channel[podcast] = C_OTHER
    other_sources = [i for i, (_, c) in enumerate(LEAD_SOURCES) if c == C_OTHER]
    people.source[podcast] = np.array(other_sources)[
        rng.integers(0, len(other_sources), len(podcast))
    ]
    malformed = _pick(rng, np.setdiff1d(np.arange(len(people)), podcast), k)
    people.malformed_email[malformed] = rng.integers(0, len(MALFORMED_EMAILS), len(malformed))
    people.junk[malformed] = J_INVALID
    people.has_twin[malformed] &= rng.random(len(malformed)) < 0.5


def choose_lead_bad_input(
    seed: int, block: int, people: People, cycles_per_lead: IntArray, status_events: IntArray,
    bad_rate: float,
) -> LeadBadInput:  # fmt: skip
    """After the funnel: which leads get deleted, merged, a legacy status, ... ."""
    n = len(people)
    k = kind_count(bad_rate, n)
    rng = stream(seed, "block", block, "bad", "leads")
    quiet = np.flatnonzero(cycles_per_lead == 0)
    with_history = np.flatnonzero((cycles_per_lead == 0) & (status_events > 0))
    deleted = _pick(rng, quiet, k)
    rest = np.setdiff1d(quiet, deleted)
    legacy = _pick(rng, rest, k)
    ooo = _pick(rng, np.setdiff1d(with_history, np.r_[deleted, legacy]), max(1, k // 2) if k else 0)
    sf_winner = _pick(rng, np.arange(n), k)
    twins = np.flatnonzero(people.has_twin)
    mk_winner = _pick(rng, twins, k)
    mk_deleted = _pick(rng, np.intersect1d(twins, rest), max(1, k // 2) if k else 0)
    future = _pick(rng, np.arange(n), max(1, k // 3) if k else 0)

    def later(rows: IntArray, lo: float, hi: float) -> IntArray:
        return people.created[rows] + (rng.uniform(lo, hi, len(rows)) * DAY).astype(np.int64)

    return LeadBadInput(
        count=k,
        deleted=deleted,
        deleted_at=later(deleted, 5, 90),
        sf_merge_winner=sf_winner,
        sf_merge_created=later(sf_winner, 1, 40),
        sf_merge_at=later(sf_winner, 41, 70),
        mkto_merge_winner=mk_winner,
        mkto_merge_created=later(mk_winner, 1, 30),
        mkto_merge_at=later(mk_winner, 31, 60),
        mkto_deleted=mk_deleted,
        mkto_deleted_at=later(mk_deleted, 10, 120),
        legacy_status=legacy,
        out_of_order=ooo,
        future_modified=future,
    )


def legacy_status_events(
    seed: int, block: int, people: People, bad: LeadBadInput, marketing: IntArray
) -> dict[str, np.ndarray]:
    """Status changes to a value no seed maps, made by a marketing user (status log columns)."""
    rng = stream(seed, "block", block, "bad", "legacy")
    rows = bad.legacy_status
    m = len(rows)
    return {
        "lead": rows,
        "t": people.created[rows] + 61 * DAY + (rng.uniform(1, 20, m) * DAY).astype(np.int64),
        "status": np.full(m, S_LEGACY, dtype=np.int64),
        "user": marketing[rng.integers(0, len(marketing), m)] if m else np.zeros(0, np.int64),
        "reason": np.full(m, -1, dtype=np.int64),
        "bant": np.full(m, -1, dtype=np.int64),
        "seq": np.full(m, 99, dtype=np.int64),
    }


def future_offset(ids: np.ndarray, salt: int) -> IntArray:
    """A stable 30-400 day jump into the future for rows picked as future-dated."""
    with np.errstate(over="ignore"):
        x = np.asarray(ids).astype(np.uint64) * _GOLDEN + np.uint64(salt)
    days = 30 + (x >> np.uint64(40)).astype(np.int64) % 370
    return days * DAY + 3 * HOUR
