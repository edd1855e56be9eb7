"""One-line progress messages on stderr for `lead-funnel run` (quiet elsewhere).

Every line carries the elapsed time and the phase. A long step keeps talking: a
`Heartbeat` repeats its latest status (dbt nodes done of total, say) whenever
nothing was reported for a few seconds, so no step is silent for long.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType

PROGRESS_ENV = "LEAD_FUNNEL_PROGRESS"
HEARTBEAT_SECONDS = 5.0
_started = time.perf_counter()


def enabled() -> bool:
    return os.environ.get(PROGRESS_ENV) == "1"


_last_report = [_started]


def report(phase: str, message: str) -> None:
    if enabled():
        _last_report[0] = time.perf_counter()
        elapsed = _last_report[0] - _started
        print(f"[{elapsed:6.1f}s] {phase:<8} {message}", file=sys.stderr, flush=True)


def seconds_since_last_report() -> float:
    return time.perf_counter() - _last_report[0]


class Heartbeat:
    """`with Heartbeat("dbt", "starting") as beat: ... beat.update("12 of 588 nodes done")`.

    It speaks when nothing at all was reported for `every` seconds, so an outer
    heartbeat (the whole job) stays quiet while an inner one (dbt) talks."""

    def __init__(self, phase: str, status: str, every: float = HEARTBEAT_SECONDS) -> None:
        self.phase = phase
        self.status = status
        self.every = every
        self._phase_started = time.perf_counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def update(self, status: str, *, force: bool = False) -> None:
        with self._lock:
            self.status = status
            if force or seconds_since_last_report() >= self.every:
                self._emit()

    def _emit(self) -> None:
        took = time.perf_counter() - self._phase_started
        report(self.phase, f"{self.status} ({took:.0f}s in this step)")

    def _beat(self) -> None:
        while not self._stop.wait(min(0.5, self.every / 3)):
            with self._lock:
                if seconds_since_last_report() >= self.every:
                    self._emit()

    def __enter__(self) -> Heartbeat:
        report(self.phase, self.status)
        if enabled():
            self._thread = threading.Thread(target=self._beat, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
