"""Ingest benchmark: cold full ingest (fresh process, model load included),
chunks per second, and warm re-ingest of an unchanged corpus.

Each figure is the median of several runs in fresh ``planchat ingest``
processes, because that is what a maintainer experiences.
Targets on the 2-core machine: cold ≤ 60 s, unchanged re-ingest ≤ 3 s.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import machine

PLANCHAT = str(Path(sys.executable).with_name("planchat"))


def _run(data_dir: str) -> tuple[float, int]:
    env = {**os.environ, "PLANCHAT_DATA_DIR": data_dir}
    began = time.perf_counter()
    done = subprocess.run([PLANCHAT, "ingest"], env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - began
    match = re.search(r"; (\d+) chunks;", done.stdout)
    return seconds, int(match.group(1)) if match else 0


def main(cold_runs: int = 3, warm_runs: int = 5) -> dict:
    cold, chunks, warm = [], 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(cold_runs):
            seconds, chunks = _run(f"{tmp}/cold{n}")
            cold.append(seconds)
        for _ in range(warm_runs):
            warm.append(_run(f"{tmp}/cold0")[0])
    result = {
        "benchmark": "ingest",
        "machine": machine(),
        "chunks": chunks,
        "cold_full_ingest_s": {"median": round(statistics.median(cold), 2), "runs": [round(x, 2) for x in cold]},
        "chunks_per_s": round(chunks / statistics.median(cold), 1),
        "warm_unchanged_reingest_s": {"median": round(statistics.median(warm), 2), "runs": [round(x, 2) for x in warm]},
        "targets": {"cold_full_ingest_s": 60, "warm_unchanged_reingest_s": 3},
    }
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
