"""Benchmark of the synthetic data generator: wall time, CPU time and peak RSS.

``benchmark_generate(leads)`` generates into a temporary DuckDB file in a fresh Python process
(so the peak RSS is the generator's own, not whatever this process held before) and samples
the child's resident set size from a thread while it runs.

    python -m lead_funnel_tools.bench_generate 100000 1000000
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

_CHILD = """
import json, sys, time, resource
from pathlib import Path
from lead_funnel_tools.generator import generate
began = time.process_time()
report = generate(Path(sys.argv[1]), leads=int(sys.argv[2]), seed=int(sys.argv[3]), progress=False)
print(json.dumps({
    "seconds": report.seconds,
    "cpu_seconds": time.process_time() - began,
    "rows": sum(report.rows.values()),
    "report_peak_rss_bytes": report.peak_rss_bytes,
    "ru_maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def benchmark_generate(leads: int, seed: int = 42) -> dict[str, Any]:
    """Generate ``leads`` leads over a year in a child process; time and peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.duckdb"
        env = dict(os.environ, DO_NOT_TRACK="1")
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(database), str(leads), str(seed)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _rss(child.pid))
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, _ = child.communicate()
        wall = time.perf_counter() - began
        done.set()
        sampler.join()
        if child.returncode != 0:
            raise RuntimeError(f"generation failed with exit code {child.returncode}")
        result = json.loads(out.strip().splitlines()[-1])
        size = database.stat().st_size
    peak = max(peak, result["ru_maxrss_bytes"])
    return {
        "leads": leads,
        "seed": seed,
        "seconds": round(result["seconds"], 2),
        "process_seconds": round(wall, 2),
        "cpu_seconds": round(result["cpu_seconds"], 2),
        "rows": result["rows"],
        "peak_rss_mib": round(peak / 2**20, 1),
        "file_mib": round(size / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> None:
    """Print one JSON line per lead count given (default: 100k and 1M)."""
    counts = [int(a) for a in (argv if argv is not None else sys.argv[1:])] or [100_000, 1_000_000]
    for leads in counts:
        print(json.dumps(benchmark_generate(leads)), flush=True)


if __name__ == "__main__":
    main()
