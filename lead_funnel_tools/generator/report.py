"""The generation report, a plain-text progress bar and a peak-RSS sampler."""

from __future__ import annotations

import datetime as dt
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class GenerationReport:
    """What one ``generate`` / ``append_days`` call wrote and what it cost."""

    database: Path
    mode: str  # "generate" or "append"
    rows: dict[str, int]  # rows written by this call per ``schema.table``
    total_rows: dict[str, int]  # rows in the file afterwards per ``schema.table``
    seconds: float
    peak_rss_bytes: int
    parameters: dict[str, Any]
    window_start: dt.datetime  # UTC, the first instant of the generated data
    window_end: dt.datetime  # UTC, everything synced up to here is in the file
    appended_from: dt.datetime | None = None  # append: the previous window end
    notes: list[str] = field(default_factory=list)

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_bytes / 2**20

    def describe(self) -> str:
        """A multi-line human-readable report: the summary and rows per table."""
        lines = [self.summary(), f"database: {self.database}"]
        if self.appended_from is not None:
            lines.append(f"appended from {self.appended_from:%Y-%m-%d %H:%M} (UTC)")
        lines.append(f"parameters: {self.parameters}")
        width = max((len(name) for name in self.rows), default=0)
        for name, count in self.rows.items():
            total = self.total_rows.get(name, count)
            lines.append(f"  {name:<{width}} {count:>12,} rows written {total:>12,} in file")
        return "\n".join(lines)

    def summary(self) -> str:
        rows = sum(self.rows.values())
        return (
            f"{self.mode}: {rows:,} rows in {self.seconds:.1f} s, peak RSS "
            f"{self.peak_rss_mib:,.0f} MiB, window {self.window_start:%Y-%m-%d} .. "
            f"{self.window_end:%Y-%m-%d %H:%M}"
        )


def current_rss() -> int:
    """Resident set size of this process in bytes (Linux ``/proc``; else the peak so far)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * resource.getpagesize()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssSampler:
    """Samples the process RSS in a background thread; ``peak`` is the maximum seen."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = current_rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, current_rss())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss())


class Progress:
    """A plain-text progress bar on stderr (silent when disabled)."""

    def __init__(self, label: str, total: int, enabled: bool) -> None:
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        self.started = time.perf_counter()
        self.done = 0

    def step(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / self.total)
        elapsed = time.perf_counter() - self.started
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} {elapsed:6.1f}s {note:<24}"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()
