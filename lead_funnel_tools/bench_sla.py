"""Benchmark of the SLA asset: synthetic clock starts in DuckDB -> ``write_sla_tables``.

``python -m lead_funnel_tools.bench_sla [N_CYCLES] [SEED]`` prints the timings as JSON.
Target: 1,000,000 cycles in at most 30 s on a 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from lead_funnel.sla.breaches import write_sla_tables
from lead_funnel.telemetry import disable_telemetry

BENCH_AS_OF = dt.datetime(2025, 6, 30, 12, 0)
_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
    None,
    "Mars/Olympus_Mons",
)
_ZONE_WEIGHTS = (0.25, 0.12, 0.15, 0.12, 0.1, 0.06, 0.05, 0.05, 0.07, 0.03)
# (sla, entry_lane, within working hours or NaN for the attempt-based policy), weights
_POLICIES = (
    ("sal_review", "score", 8.0),
    ("sal_review", "manual", 8.0),
    ("first_touch", "fast_lane", 1.0),
    ("first_touch", "score", 8.0),
    ("follow_up_attempts", "score", np.nan),
)
_POLICY_WEIGHTS = (0.35, 0.1, 0.1, 0.3, 0.15)
_HOLIDAYS = (
    ("2025-01-01", "New Year's Day", None),
    ("2025-05-26", "Memorial Day", "America/New_York"),
    ("2025-05-26", "Memorial Day", "America/Chicago"),
    ("2025-05-26", "Memorial Day", "America/Los_Angeles"),
    ("2025-05-26", "Spring Bank Holiday", "Europe/London"),
    ("2025-04-18", "Good Friday", "Europe/London"),
    ("2025-04-21", "Easter Monday", "Europe/Berlin"),
    ("2025-04-29", "Showa Day", "Asia/Tokyo"),
    ("2025-12-25", "Christmas Day", None),
)


def synthetic_clock_starts(n_cycles: int, seed: int = 0) -> pd.DataFrame:
    """A clock-start frame shaped like ``int_sla_clock_starts``: six months of starts in ten
    zones (two of them null/unknown), the four default policies, ~85 % met (some late),
    attempt-based rows with a deadline, a few null starts."""
    rng = np.random.default_rng(seed)
    policy = rng.choice(len(_POLICIES), size=n_cycles, p=_POLICY_WEIGHTS)
    sla = np.array([p[0] for p in _POLICIES], dtype=object)[policy]
    lane = np.array([p[1] for p in _POLICIES], dtype=object)[policy]
    within = np.array([p[2] for p in _POLICIES])[policy]
    zone = np.array(_ZONES, dtype=object)[rng.choice(len(_ZONES), size=n_cycles, p=_ZONE_WEIGHTS)]
    start = np.datetime64("2025-01-01T00:00", "s") + rng.integers(0, 181 * 86400, n_cycles)
    start = start.astype("datetime64[ns]")
    start[rng.random(n_cycles) < 0.001] = np.datetime64("NaT")
    hours_to_event = rng.exponential(18.0, n_cycles) * 3600
    met = start + (hours_to_event * 1e9).astype("timedelta64[ns]")
    met[rng.random(n_cycles) < 0.15] = np.datetime64("NaT")
    attempts = np.isnan(within)
    deadline = np.full(n_cycles, np.datetime64("NaT"), dtype="datetime64[ns]")
    deadline[attempts] = start[attempts] + np.timedelta64(3, "D")
    lead = np.char.add("00Q", np.arange(n_cycles).astype(str)).astype(object)
    return pd.DataFrame(
        {
            "cycle_id": np.char.add(lead.astype(str), "-1").astype(object),
            "lead_id": lead,
            "owner_id": np.char.add("005U", rng.integers(0, 400, n_cycles).astype(str)),
            "sla": sla,
            "entry_lane": lane,
            "time_zone": zone,
            "started_at": start,
            "within_working_hours": within,
            "deadline_at": deadline,
            "met_at": met,
        }
    )


def _calendar_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    business_hours = pd.DataFrame(
        {
            "time_zone": ["*", "Asia/Tokyo"],
            "work_start": ["09:00", "09:30"],
            "work_end": ["17:00", "18:00"],
            "weekmask": ["1111100", "1111100"],
        }
    )
    holidays = pd.DataFrame(_HOLIDAYS, columns=["holiday_date", "holiday_name", "time_zone"])
    holidays["holiday_date"] = pd.to_datetime(holidays["holiday_date"]).dt.date
    return business_hours, holidays


def benchmark_sla(n_cycles: int = 1_000_000, seed: int = 0) -> dict[str, Any]:
    """Build ``n_cycles`` synthetic clock starts in an in-memory DuckDB, run
    ``write_sla_tables`` once and return its timings (seconds) and counts."""
    disable_telemetry()
    began = time.perf_counter()
    con = duckdb.connect()
    business_hours, holidays = _calendar_frames()
    for name, frame in {
        "clock_starts": synthetic_clock_starts(n_cycles, seed),
        "business_hours": business_hours,
        "holidays": holidays,
    }.items():
        con.register(f"{name}_frame", pa.Table.from_pandas(frame, preserve_index=False))
        con.execute(f"create table {name} as select * from {name}_frame")
        con.unregister(f"{name}_frame")
    built = time.perf_counter()
    summary = write_sla_tables(
        con,
        source_relation="clock_starts",
        business_hours_relation="business_hours",
        holidays_relation="holidays",
        target_schema="marts_build",
        as_of=BENCH_AS_OF,
    )
    written = con.sql("select count(*) from marts_build.fct_sla_evaluations").fetchall()
    con.close()
    return {
        "n_cycles": n_cycles,
        "seed": seed,
        "build_seconds": round(built - began, 3),
        "read_seconds": summary["seconds"]["read"],
        "evaluate_seconds": summary["seconds"]["evaluate"],
        "write_seconds": summary["seconds"]["write"],
        "total_seconds": summary["seconds"]["total"],
        "evaluations_written": int(written[0][0]),
        "breaches": summary["breaches"],
        "states": summary["states"],
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``[N_CYCLES] [SEED]``; prints the result as JSON."""
    args = sys.argv[1:] if argv is None else argv
    n_cycles = int(args[0]) if args else 1_000_000
    seed = int(args[1]) if len(args) > 1 else 0
    print(json.dumps(benchmark_sla(n_cycles, seed), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
