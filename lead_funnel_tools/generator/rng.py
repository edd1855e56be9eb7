"""Deterministic random streams and low-variance sampling.

Every random draw comes from a numpy ``Generator`` derived from the run's seed and a fixed
key path (``stream(seed, block, "funnel")``): no global state, no Python ``hash()``, so the
same seed always gives the same data and adding a stream never shifts another.

Stage decisions use *systematic sampling*: within a group (a channel, say) items are visited
in random order and picked when the running sum of their probabilities crosses an integer
offset by one uniform draw. Each item is still picked with its own probability, but the
number picked in the group is the expected number (±1), so a 20k-lead data set shows the
configured stage rates instead of binomial noise around them.
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _key(part: int | str) -> int:
    """A stable non-negative integer for a key part (strings via CRC32, not ``hash()``)."""
    if isinstance(part, str):
        return zlib.crc32(part.encode("utf-8"))
    return int(part)


def stream(seed: int, *parts: int | str) -> np.random.Generator:
    """The random stream for ``seed`` and a key path, independent of every other path."""
    sequence = np.random.SeedSequence(entropy=int(seed), spawn_key=tuple(_key(p) for p in parts))
    return np.random.Generator(np.random.PCG64(sequence))


def sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: FloatArray | float) -> FloatArray:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1.0 - q))


def calibrate(offsets: FloatArray, group: IntArray, target: FloatArray) -> FloatArray:
    """Per-item probabilities ``sigmoid(a[group] + offsets)`` whose group means equal ``target``.

    ``offsets`` carry the item effects (fit, junk penalties); the intercept ``a`` of each group
    is solved by Newton steps so the group's mean probability is ``target[group]``.
    """
    n_groups = len(target)
    counts = np.bincount(group, minlength=n_groups).astype(np.float64)
    a = logit(target).astype(np.float64)
    for _ in range(12):
        p = sigmoid(a[group] + offsets)
        f = np.bincount(group, weights=p, minlength=n_groups) - counts * target
        df = np.bincount(group, weights=p * (1.0 - p), minlength=n_groups)
        step = np.where(df > 1e-9, f / np.maximum(df, 1e-9), 0.0)
        a = a - np.clip(step, -3.0, 3.0)
    return sigmoid(a[group] + offsets)


def systematic(
    rng: np.random.Generator,
    p: FloatArray,
    group: IntArray | None = None,
    carry: FloatArray | None = None,
    order_key: IntArray | None = None,
) -> BoolArray:
    """Pick each item with probability ``p`` so each group's count is its expected count ±1.

    With ``carry`` (one running offset per group code, updated in place) successive calls
    continue the same systematic sequence, so the count over all calls stays within ±1 too.
    With ``order_key`` (a time) items are visited in time order, so every time prefix of a
    group (what has happened by a window end) also holds its expected count ±1.
    """
    n = len(p)
    if n == 0:
        return np.zeros(0, dtype=bool)
    if group is None:
        group = np.zeros(n, dtype=np.int64)
    tie = rng.random(n)
    order = np.lexsort((tie, group)) if order_key is None else np.lexsort((tie, order_key, group))
    ps = np.clip(p[order], 0.0, 1.0)
    gs = group[order]
    cumulative = np.cumsum(ps)
    starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    base = np.r_[0.0, cumulative][starts]
    run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    codes = gs[starts]
    u = rng.random(len(starts)) if carry is None else carry[codes]
    offset = u[run] - base[run]
    picked_sorted = np.floor(cumulative + offset) > np.floor(cumulative - ps + offset)
    if carry is not None:
        ends = np.r_[starts[1:], n] - 1
        carry[codes] = np.mod(cumulative[ends] + offset[ends], 1.0)
    picked = np.empty(n, dtype=bool)
    picked[order] = picked_sorted
    return picked


def choice(rng: np.random.Generator, weights: FloatArray, size: int) -> IntArray:
    """Codes drawn from fixed weights (normalised here)."""
    w = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(w), size=size, p=w / w.sum()).astype(np.int64)


def choice_rows(rng: np.random.Generator, weights: FloatArray) -> IntArray:
    """One code per row from a per-row weight matrix (rows need not be normalised)."""
    w = np.asarray(weights, dtype=np.float64)
    cumulative = np.cumsum(w, axis=1)
    u = rng.random(len(w)) * cumulative[:, -1]
    return np.minimum((cumulative < u[:, None]).sum(axis=1), w.shape[1] - 1).astype(np.int64)


def lognormal(rng: np.random.Generator, median: FloatArray | float, sigma: float, size: int):
    """Log-normal draws with the given median (a typical delay) and log-scale spread."""
    return np.asarray(median, dtype=np.float64) * np.exp(sigma * rng.standard_normal(size))
