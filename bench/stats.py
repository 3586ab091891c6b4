"""Latency summaries shared by the benchmarks: median and nearest-rank p95."""

from __future__ import annotations

import statistics


def latency_ms(samples: list[float], digits: int = 1) -> dict:
    """``{"median_ms", "p95_ms", "n"}`` of millisecond samples; p95 is the nearest-rank value."""
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), digits),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], digits), "n": len(ordered)}
