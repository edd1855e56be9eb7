"""Append-only logs the simulation fills: status changes, sales touches, opportunities.

Each ``add`` takes arrays (one element per event) so a whole stage of many leads is logged in
one call; ``arrays`` concatenates them in the order they were added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def _broadcast(value: npt.ArrayLike, n: int, dtype: type) -> np.ndarray:
    arr = np.asarray(value, dtype=dtype)
    return np.broadcast_to(arr, (n,)).copy() if arr.ndim == 0 else arr.astype(dtype)


@dataclass
class Log:
    """Named columns of parallel arrays, appended chunk by chunk."""

    columns: tuple[str, ...]
    dtypes: tuple[type, ...]
    parts: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **values: npt.ArrayLike) -> None:
        sizes = {np.size(v) for v in values.values() if np.ndim(v) > 0}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sorted(sizes)}")
        n = sizes.pop() if sizes else 1
        if n == 0:
            return
        for name, dtype in zip(self.columns, self.dtypes, strict=True):
            self.parts.setdefault(name, []).append(_broadcast(values[name], n, dtype))

    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name, dtype in zip(self.columns, self.dtypes, strict=True):
            chunks = self.parts.get(name, [])
            out[name] = np.concatenate(chunks) if chunks else np.zeros(0, dtype=dtype)
        return out


def status_log() -> Log:
    """Lead status changes: who changed what, when, with which reason / BANT flags."""
    return Log(
        ("lead", "t", "status", "user", "reason", "bant", "seq"),
        (np.int64, np.int64, np.int64, np.int64, np.int64, np.int64, np.int64),
    )


def touch_log() -> Log:
    """Sales touches (tasks): completed or never done, with the touch's context code."""
    return Log(
        ("lead", "t", "created", "kind", "completed", "user"),
        (np.int64, np.int64, np.int64, np.int64, np.bool_, np.int64),
    )


def cycle_log() -> Log:
    """Handoff cycles: entry lane and time, how far they got, when and how they closed."""
    return Log(
        ("lead", "number", "lane", "t", "form", "sal", "sql", "opp", "won", "close", "outcome",
         "decision_t"),
        (np.int64,) * 5 + (np.bool_,) * 4 + (np.int64,) * 3,
    )  # fmt: skip


def opportunity_log() -> Log:
    """Opportunities from conversions with their stage times (0 = stage not reached)."""
    return Log(
        ("lead", "cycle", "created", "discovery", "proposal", "negotiation", "close", "won",
         "amount", "owner"),
        (np.int64,) * 7 + (np.bool_, np.float64, np.int64),
    )  # fmt: skip


def concat_index(counts: IntArray) -> tuple[IntArray, IntArray]:
    """For ``counts`` per row: the row of every expanded element and its rank within the row."""
    counts = np.asarray(counts, dtype=np.int64)
    rows = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(int(counts.sum())) - np.repeat(starts, counts)
    return rows, rank
