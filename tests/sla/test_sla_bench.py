"""The benchmark runs end to end on a small frame.

The 1M run is manual: ``python -m lead_funnel_tools.bench_sla``.
"""

from __future__ import annotations

from lead_funnel_tools.bench_sla import benchmark_sla


def test_benchmark_smoke() -> None:
    result = benchmark_sla(n_cycles=3_000, seed=1)
    assert result["evaluations_written"] == 3_000
    assert sum(result["states"].values()) == 3_000
    assert 0 < result["breaches"] < 3_000
    assert result["total_seconds"] >= result["evaluate_seconds"]
