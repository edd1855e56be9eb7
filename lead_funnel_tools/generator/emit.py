"""From simulated row versions to the rows one run writes (with row-level bad input).

``emit_versions`` / ``emit_events`` apply the connector's landing rule (see ``landing``) and then
add the row-level bad input chosen by a salted hash of the row id: stale re-sync copies (same
id, an older ``_fivetran_synced``, the previous version's values when there is one), copies
with a null id, and business timestamps pushed past the window end.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lead_funnel_tools.generator.bad_input import future_offset, hashed_pick
from lead_funnel_tools.generator.landing import (
    SYNCED,
    Frame,
    concat,
    land_events,
    land_versions,
    take,
)

IntArray = npt.NDArray[np.int64]


def _null_column(frame: Frame, column: str) -> Frame:
    out = dict(frame)
    values = np.asarray(frame[column])
    out[column] = pa.array(values, mask=np.ones(len(values), dtype=bool))
    return out


def _earlier(
    ids: np.ndarray, synced: IntArray, floor: IntArray, e_prev: int, salt: int
) -> IntArray:
    """A stable earlier sync time in ``(max(floor, e_prev), synced)`` (may equal synced)."""
    with np.errstate(over="ignore"):
        x = (np.asarray(ids).astype(np.uint64) * np.uint64(0x2545F4914F6CDD1D)) ^ np.uint64(salt)
    fraction = ((x >> np.uint64(20)) % np.uint64(1000)).astype(np.float64) / 1000.0
    low = np.maximum(floor, e_prev + 1)
    span = np.maximum(synced - low, 0)
    return np.minimum(low + (span * (0.2 + 0.6 * fraction)).astype(np.int64), synced)


def _extras(
    out: Frame,
    ids: np.ndarray,
    id_column: str,
    stale: Frame | None,
    stale_synced: IntArray | None,
    null_rate: float,
    salt: int,
) -> Frame:
    parts = [out]
    if stale is not None and stale_synced is not None and len(stale_synced):
        stale = dict(stale)
        stale[SYNCED] = stale_synced
        parts.append(stale)
    nulls = np.flatnonzero(hashed_pick(ids, null_rate, salt + 7))
    if len(nulls):
        parts.append(_null_column(take(out, nulls), id_column))
    return concat(parts)


def emit_versions(
    frame: Frame,
    e_prev: int,
    e_now: int,
    *,
    id_column: str,
    resync_rate: float,
    null_rate: float = 0.0,
    salt: int = 0,
) -> Frame:
    """The versioned rows to write between ``e_prev`` and ``e_now``, with bad-input copies."""
    idx, synced, previous = land_versions(frame, e_prev, e_now)
    if len(idx) == 0:
        return {}
    out = take(frame, idx)
    out[SYNCED] = synced
    ids = np.asarray(frame["__key"])[idx]
    dup = np.flatnonzero(hashed_pick(ids, resync_rate, salt))
    source = np.where(previous[dup] >= 0, previous[dup], idx[dup])
    floor = np.asarray(frame["__t"])[source]
    stale_synced = _earlier(ids[dup], synced[dup], floor, e_prev, salt)
    keep = stale_synced < synced[dup]
    stale = take(frame, source[keep])
    return _extras(out, ids, id_column, stale, stale_synced[keep], null_rate, salt)


def emit_events(
    frame: Frame,
    e_prev: int,
    e_now: int,
    *,
    id_column: str,
    resync_rate: float,
    null_rate: float = 0.0,
    future_rate: float = 0.0,
    future_column: str | None = None,
    salt: int = 0,
) -> Frame:
    """The immutable rows synced in ``(e_prev, e_now]``, with bad-input copies."""
    idx, synced = land_events(frame, e_prev, e_now)
    if len(idx) == 0:
        return {}
    out = take(frame, idx)
    out[SYNCED] = synced
    ids = np.asarray(out[id_column])
    if future_column is not None and future_rate > 0:
        future = hashed_pick(ids, future_rate, salt + 3)
        values = np.asarray(out[future_column]).copy()
        values[future] = e_now + future_offset(ids[future], salt)
        out[future_column] = values
    dup = np.flatnonzero(hashed_pick(ids, resync_rate, salt))
    stale_synced = _earlier(ids[dup], synced[dup], np.asarray(out["__t"])[dup], e_prev, salt)
    keep = stale_synced < synced[dup]
    stale = take(out, dup[keep])
    return _extras(out, ids, id_column, stale, stale_synced[keep], null_rate, salt)
