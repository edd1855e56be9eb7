"""What a connector has landed by a given time: the snapshot-diff of a simulated world.

The simulation produces *row versions*: a lead row after each change, a task when it was
scheduled and again when it was done, an activity once. A connector syncs each version some
minutes or hours after the change (a few rows days later: late-arriving data) and stamps it
with ``_fivetran_synced``. A run that lands everything up to ``e_now`` writes

* for an immutable row (history, activity): the row when ``e_prev < t + lag <= e_now``;
* for a mutable row (lead, opportunity, task, ...): the latest version synced by ``e_now``,
  when that version was not already written by ``e_prev`` (a re-sync of a changed row is a
  second row with the same id and a later ``_fivetran_synced``).

``generate`` is the diff from nothing to the window end; ``append_days`` the diff from the old
end to the new one, so appended data is exactly what the connector would land next.

A frame is a dict of equally long columns (numpy arrays or Arrow arrays). Private columns
start with ``__``: ``__key`` (entity, versioned frames only, sorted by key then version time),
``__t`` (version or event time) and ``__lag`` (sync delay, seconds).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from lead_funnel_tools.generator.rng import lognormal
from lead_funnel_tools.generator.worktime import DAY, HOUR, MINUTE

Frame = dict[str, np.ndarray | pa.Array]
IntArray = npt.NDArray[np.int64]
SYNCED = "_fivetran_synced"
LATE_SHARE = 0.01


def sync_lags(rng: np.random.Generator, n: int, late_share: float = LATE_SHARE) -> IntArray:
    """Connector delays: minutes to hours, and for a few rows days (late-arriving)."""
    lag = lognormal(rng, 25.0 * MINUTE, 0.9, n)
    lag = np.clip(lag, MINUTE, 12 * HOUR)
    late = rng.random(n) < late_share
    lag = np.where(late, rng.uniform(1.0, 5.0, n) * DAY, lag)
    return lag.astype(np.int64)


def frame_len(frame: Frame) -> int:
    return len(next(iter(frame.values())))


def take(frame: Frame, index: IntArray) -> Frame:
    """Rows ``index`` of every column."""
    out: Frame = {}
    for name, col in frame.items():
        out[name] = col.take(pa.array(index)) if isinstance(col, pa.Array) else col[index]
    return out


def concat(frames: list[Frame]) -> Frame:
    """Frames with the same columns one after the other."""
    frames = [f for f in frames if f and frame_len(f) > 0]
    if not frames:
        return {}
    out: Frame = {}
    for name in frames[0]:
        cols = [f[name] for f in frames]
        if any(isinstance(c, pa.Array) for c in cols):
            arrays = [c if isinstance(c, pa.Array) else pa.array(c) for c in cols]
            out[name] = pa.concat_arrays(
                [a.cast(arrays[0].type) if a.type != arrays[0].type else a for a in arrays]
            )
        else:
            out[name] = np.concatenate(cols)
    return out


def _group_cummax(key: IntArray, values: IntArray) -> IntArray:
    gid = np.cumsum(np.r_[0, (key[1:] != key[:-1]).astype(np.int64)])
    shifted = (gid << 34) + values
    return np.maximum.accumulate(shifted) - (gid << 34)


def land_versions(frame: Frame, e_prev: int, e_now: int) -> tuple[IntArray, IntArray, IntArray]:
    """Rows of a versioned frame to write: (row index, synced time, previous version index).

    The previous version index (-1 when none) lets bad-input re-syncs emit a stale copy.
    """
    if not frame or frame_len(frame) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    key = np.asarray(frame["__key"])
    land = _group_cummax(key, np.asarray(frame["__t"]) + np.asarray(frame["__lag"]))
    landed = land <= e_now
    same_next = np.r_[key[1:] == key[:-1], False]
    next_landed = np.r_[landed[1:], False]
    latest = landed & ~(same_next & next_landed)
    emit = np.flatnonzero(latest & (land > e_prev))
    same_prev = np.r_[False, key[1:] == key[:-1]]
    previous = np.where(same_prev[emit], emit - 1, -1)
    return emit, land[emit], previous


def land_events(frame: Frame, e_prev: int, e_now: int) -> tuple[IntArray, IntArray]:
    """Rows of an immutable frame synced in ``(e_prev, e_now]``: (row index, synced time)."""
    if not frame or frame_len(frame) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    land = np.asarray(frame["__t"]) + np.asarray(frame["__lag"])
    emit = np.flatnonzero((land > e_prev) & (land <= e_now))
    return emit, land[emit]
