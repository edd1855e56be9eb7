"""One-line progress messages on stderr for `lead-funnel run` (quiet elsewhere)."""

from __future__ import annotations

import os
import sys
import time

PROGRESS_ENV = "LEAD_FUNNEL_PROGRESS"
_started = time.perf_counter()


def report(phase: str, message: str) -> None:
    if os.environ.get(PROGRESS_ENV) == "1":
        elapsed = time.perf_counter() - _started
        print(f"[{elapsed:6.1f}s] {phase:<8} {message}", file=sys.stderr, flush=True)
