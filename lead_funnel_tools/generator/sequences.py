"""Series of timed actions: several touches per lead spaced in working hours."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lead_funnel_tools.generator.logs import concat_index
from lead_funnel_tools.generator.rng import lognormal
from lead_funnel_tools.generator.worktime import add_working_hours

IntArray = npt.NDArray[np.int64]


def segment_cumsum(values: np.ndarray, counts: IntArray) -> np.ndarray:
    """Cumulative sums restarting at every row of an expanded (``np.repeat``-ed) array."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=values.dtype)
    cs = np.cumsum(values)
    first = np.minimum(np.cumsum(counts) - counts, total - 1)
    base = cs[first] - values[first]
    return cs - np.repeat(base, counts)


def spaced(
    rng: np.random.Generator,
    start: IntArray,
    count: IntArray,
    gap_median_wh: float,
    tz: IntArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """``count`` actions per row: the first at ``start``, then gaps of working hours.

    Returns (row, rank, time) for every action.
    """
    rows, rank = concat_index(count)
    gaps = lognormal(rng, gap_median_wh, 0.6, len(rows))
    gaps[rank == 0] = 0.0
    offset = segment_cumsum(gaps, count)
    times = add_working_hours(start[rows], offset, tz[rows])
    return rows, rank, times


def last_per_row(count: IntArray, values: IntArray, default: int = 0) -> IntArray:
    """The last value of each row of an expanded array (``default`` for empty rows)."""
    count = np.asarray(count, dtype=np.int64)
    out = np.full(len(count), default, dtype=np.int64)
    has = count > 0
    out[has] = values[(np.cumsum(count) - 1)[has]]
    return out
