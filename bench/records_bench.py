"""Record query latency: median and p95 of 1,000 mixed queries, in process.

Runs against the serving index (PLANCHAT_DATA_DIR); with ``--build`` (or when
there is no index yet) it first ingests corpus/ into a temporary data folder.
The mix covers every filter of ``RecordQuery`` alone and combined, the way
the CLI and HTTP API use them.  Prints one JSON object; the target is
p95 <= 20 ms.

    .venv/bin/python bench/records_bench.py [--queries 1000] [--seed 7] [--build]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from bench.stats import latency_ms  # noqa: E402
from planchat.settings import get_settings, offline_environment  # noqa: E402

OWNERS = ["Cathy", "cathy twist", "Onaboye", "Abi", "Alex Kubeyinje", "merlin", "Priya", "Ruth Hutt", "nobody"]
DOCS = ["roadmap", "directorate", "education", "send", "lscp", "2020"]
SECTIONS = ["priority one", "Priority Six", "key activities", "performance", "contracts", "by 2030", "risks"]
REFS = ["1.1", "2.9", "6.14", "CSKA12", "cska01", "LC.06", "CSSR0009", "8.5", "X9"]
WORDS = ["foster", "care leavers", "SEND transport", "housing", "attendance", "youth violence", "mental health"]
KINDS = ["action", "kpi", "risk", "contract"]


def _day(rng: random.Random) -> date:
    return date(2020, 1, 1) + timedelta(days=rng.randrange(0, 11 * 365))


def mixed_queries(n: int, seed: int) -> list[dict]:
    """``n`` filter sets: one to three filters each, drawn from every kind of filter."""
    rng = random.Random(seed)
    makers = [
        lambda: {"kind": rng.choice(KINDS)},
        lambda: {"due_before": _day(rng)},
        lambda: {"due_after": _day(rng)},
        lambda: {"due_in": f"{rng.randrange(2020, 2031)}-{rng.randrange(1, 13):02d}"},
        lambda: {"overdue": True, "as_of": _day(rng)},
        lambda: {"overdue": True},
        lambda: {"owner": rng.choice(OWNERS)},
        lambda: {"doc": rng.choice(DOCS)},
        lambda: {"section": rng.choice(SECTIONS)},
        lambda: {"ref": rng.choice(REFS)},
        lambda: {"q": rng.choice(WORDS)},
        lambda: {"origin": rng.choice(["table", "prose"])},
        lambda: {"limit": rng.choice([5, 20, 100])},
    ]
    queries = []
    for _ in range(n):
        filters: dict = {}
        for make in rng.sample(makers, rng.choice([1, 1, 2, 2, 3])):
            filters.update(make())
        queries.append(filters)
    return queries


def _build_index() -> None:
    from ingest.pipeline import ingest

    os.environ["PLANCHAT_DATA_DIR"] = tempfile.mkdtemp(prefix="planchat-bench-")
    get_settings.cache_clear()
    ingest([ROOT / "corpus"], settings=get_settings())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="Ingest corpus/ into a temporary data folder first.")
    args = parser.parse_args()
    offline_environment()

    from index import generations
    from index.records import RecordQuery, query_records, record_count
    from index.store import IndexStore

    if args.build or generations.active(get_settings().index_root) is None:
        _build_index()
    store = IndexStore.open()
    try:
        queries = [RecordQuery(**filters) for filters in mixed_queries(args.queries, args.seed)]
        query_records(store, RecordQuery())                        # warm the connection pool and caches
        timings, rows = [], 0
        for query in queries:
            began = time.perf_counter()
            rows += len(query_records(store, query))
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        report = {
            "benchmark": "records",
            "machine": machine(),
            "queries": len(timings),
            "records_in_store": sum(record_count(store).values()),
            "rows_returned": rows,
            **{k: v for k, v in latency_ms(timings, digits=3).items() if k != "n"},
            "max_ms": round(timings[-1], 3),
            "mean_ms": round(statistics.fmean(timings), 3),
            "target_p95_ms": 20,
            "dialect": store.engine.dialect.name,
        }
        report["ok"] = report["p95_ms"] <= report["target_p95_ms"]
        print(json.dumps(report, indent=1))
    finally:
        store.close()


if __name__ == "__main__":
    main()
